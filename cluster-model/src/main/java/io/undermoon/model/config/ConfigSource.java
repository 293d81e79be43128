package io.undermoon.model.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Configuration as every program reads it: an optional TOML file (the extension may be omitted),
 * overlaid by {@code UNDERMOON_*} environment variables (case-insensitive; the rest of the name,
 * lower-cased, is the key). Unlike the reference, a value that is present but cannot be converted
 * is an error naming the field, never a silent fallback to the default.
 */
public final class ConfigSource {
    public static final String ENV_PREFIX = "UNDERMOON_";
    private static final TomlMapper TOML = new TomlMapper();

    private final Map<String, Object> values;

    private ConfigSource(Map<String, Object> values) {
        this.values = values;
    }

    public static ConfigSource of(Map<String, Object> values) {
        Map<String, Object> lower = new LinkedHashMap<>();
        values.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        return new ConfigSource(lower);
    }

    /** Loads the file (if given) and overlays the environment. */
    public static ConfigSource load(Optional<Path> file, Map<String, String> env) throws ConfigException {
        Map<String, Object> values = new LinkedHashMap<>();
        if (file.isPresent()) {
            Path path = file.get();
            if (!Files.exists(path) && Files.exists(Path.of(path + ".toml"))) {
                path = Path.of(path + ".toml");
            }
            try {
                String text = Files.readString(path);
                Map<String, Object> parsed = TOML.readValue(text, new TypeReference<Map<String, Object>>() {});
                parsed.forEach((k, v) -> values.put(k.toLowerCase(Locale.ROOT), v));
            } catch (IOException e) {
                throw new ConfigException("failed to read config file " + path + ": " + firstLine(e.getMessage()), e);
            }
        }
        env.forEach((k, v) -> {
            if (k.length() > ENV_PREFIX.length() && k.regionMatches(true, 0, ENV_PREFIX, 0, ENV_PREFIX.length())) {
                values.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT), v);
            }
        });
        return new ConfigSource(values);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** A text value; a TOML number or boolean is taken as its text, a table or an array is an error. */
    public Optional<String> getOptionalString(String key) throws ConfigException {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Map || v instanceof List) {
            throw new ConfigException("invalid field " + key + ": expected a string, got '" + v + "'");
        }
        return Optional.of(v.toString());
    }

    public String getString(String key, String def) throws ConfigException {
        return getOptionalString(key).orElse(def);
    }

    /**
     * A TOML integer, or text holding one. A float (TOML parses {@code 1.5} and {@code 1e3} as
     * decimals) or an integer beyond 64 bits is an error, never rounded or wrapped.
     */
    public long getLong(String key, long def) throws ConfigException {
        Object v = values.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            if (b.bitLength() < Long.SIZE) {
                return b.longValue();
            }
            throw new ConfigException("invalid field " + key + ": too large: " + b);
        }
        if (v instanceof Number || v instanceof Map || v instanceof List) {
            throw new ConfigException("invalid field " + key + ": expected an integer, got '" + v + "'");
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new ConfigException("invalid field " + key + ": expected an integer, got '" + v + "'");
        }
    }

    /** An integer that must be at least {@code min}. */
    public long getLong(String key, long def, long min) throws ConfigException {
        long v = getLong(key, def);
        if (v < min) {
            throw new ConfigException("invalid field " + key + ": must be at least " + min + ", got " + v);
        }
        return v;
    }

    /** An integer in {@code min..max}. */
    public long getLong(String key, long def, long min, long max) throws ConfigException {
        long v = getLong(key, def, min);
        if (v > max) {
            throw new ConfigException("invalid field " + key + ": must be at most " + max + ", got " + v);
        }
        return v;
    }

    public int getInt(String key, int def, int min) throws ConfigException {
        return getInt(key, def, min, Integer.MAX_VALUE);
    }

    /** An integer in {@code min..max}. */
    public int getInt(String key, int def, int min, int max) throws ConfigException {
        return (int) getLong(key, def, min, max);
    }

    /**
     * Largest duration setting, in milliseconds: about 146 years, so that its nanoseconds added to
     * {@code System.nanoTime()} cannot overflow. Larger values are refused rather than left to fail
     * (or wrap around) when the program computes a deadline.
     */
    public static final long MAX_MILLIS = Long.MAX_VALUE / 2 / 1_000_000;
    /** {@link #MAX_MILLIS} in seconds. */
    public static final long MAX_SECONDS = MAX_MILLIS / 1000;

    /** A duration given in whole seconds, at least {@code min} and at most {@link #MAX_SECONDS}. */
    public Duration getSeconds(String key, long def, long min) throws ConfigException {
        return Duration.ofSeconds(getLong(key, def, min, MAX_SECONDS));
    }

    /** A duration given in whole milliseconds, at least {@code min} and at most {@link #MAX_MILLIS}. */
    public Duration getMillis(String key, long def, long min) throws ConfigException {
        return Duration.ofMillis(getLong(key, def, min, MAX_MILLIS));
    }

    /** true/false, 1/0, yes/no, on/off (case-insensitive). */
    public boolean getBoolean(String key, boolean def) throws ConfigException {
        Object v = values.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on", "t", "y" -> true;
            case "false", "0", "no", "off", "f", "n" -> false;
            default -> throw new ConfigException("invalid field " + key + ": expected a boolean, got '" + v + "'");
        };
    }

    /**
     * A TOML array of strings, or one string. With {@code splitComma} a string is split on ','
     * (no trimming) and an empty string is an empty list; otherwise it becomes a one-element list.
     */
    public List<String> getStringList(String key, List<String> def, boolean splitComma) throws ConfigException {
        Object v = values.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (o instanceof Map || o instanceof List) {
                    throw new ConfigException("invalid field " + key + ": expected a list of strings");
                }
                out.add(String.valueOf(o));
            }
            return out;
        }
        if (v instanceof Map) {
            throw new ConfigException("invalid field " + key + ": expected a string or a list of strings");
        }
        String s = v.toString();
        if (!splitComma) {
            return List.of(s);
        }
        if (s.isEmpty()) {
            return List.of();
        }
        return List.of(s.split(",", -1));
    }
}
