package io.undermoon.model.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    public Optional<String> getOptionalString(String key) {
        Object v = values.get(key);
        if (v == null) {
            return Optional.empty();
        }
        return Optional.of(v.toString());
    }

    public String getString(String key, String def) {
        return getOptionalString(key).orElse(def);
    }

    public long getLong(String key, long def) throws ConfigException {
        Object v = values.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return n.longValue();
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

    public int getInt(String key, int def, int min) throws ConfigException {
        long v = getLong(key, def, min);
        if (v > Integer.MAX_VALUE) {
            throw new ConfigException("invalid field " + key + ": too large: " + v);
        }
        return (int) v;
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
