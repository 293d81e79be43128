package io.undermoon.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Per-cluster configuration. JSON {@code {"compression_strategy": ..., "migration_config": {...}}},
 * both optional (defaults apply). Flat names, as used by the broker config, the PATCH API and the
 * SETCLUSTER CONFIG section: {@code compression_strategy} and {@code migration_<field>}.
 *
 * <p>Our extension: {@code password}, the password a client must give with {@code AUTH} before
 * the cluster's proxies serve it data (empty: none). Proxies are shared between clusters, so a
 * client that follows a stale topology to a proxy now serving another cluster gets an error instead
 * of that cluster's data. It appears in JSON and in the flat map only when set, so configurations
 * without it look exactly as the reference's.
 */
@JsonPropertyOrder({"compression_strategy", "migration_config", "password"})
public record ClusterConfig(
        @JsonProperty("compression_strategy") CompressionStrategy compressionStrategy,
        @JsonProperty("migration_config") MigrationConfig migrationConfig,
        @JsonProperty("password") @JsonInclude(JsonInclude.Include.NON_EMPTY) String password) {

    public static final ClusterConfig DEFAULT = new ClusterConfig(CompressionStrategy.DISABLED, MigrationConfig.DEFAULT);

    /** Longest cluster password accepted. */
    public static final int MAX_PASSWORD_LENGTH = 128;

    /** Flat field names in their canonical order. */
    public static final String[] FLAT_FIELDS = {
        "compression_strategy",
        "migration_max_migration_time",
        "migration_max_blocking_time",
        "migration_scan_interval",
        "migration_scan_count",
    };

    @JsonCreator
    public ClusterConfig {
        if (compressionStrategy == null) {
            compressionStrategy = CompressionStrategy.DISABLED;
        }
        if (migrationConfig == null) {
            migrationConfig = MigrationConfig.DEFAULT;
        }
        if (password == null) {
            password = "";
        }
    }

    public ClusterConfig(CompressionStrategy compressionStrategy, MigrationConfig migrationConfig) {
        this(compressionStrategy, migrationConfig, "");
    }

    /** Whether clients must AUTH with {@link #password()} before this cluster serves them data. */
    public boolean hasPassword() {
        return !password.isEmpty();
    }

    /**
     * A valid password: empty (none), or 1 to {@value #MAX_PASSWORD_LENGTH} printable ASCII
     * characters without spaces, and not a SETCLUSTER keyword ({@code PEER}, {@code CONFIG}), so
     * that it travels as one token of the plain SETCLUSTER form.
     */
    public static boolean validPassword(String p) {
        if (p == null || p.length() > MAX_PASSWORD_LENGTH) {
            return false;
        }
        for (int i = 0; i < p.length(); i++) {
            char ch = p.charAt(i);
            if (ch <= ' ' || ch > '~') {
                return false;
            }
        }
        return !p.equalsIgnoreCase("PEER") && !p.equalsIgnoreCase("CONFIG");
    }

    /** Why a flat field could not be set. The names are the wire codes. */
    public enum FieldError { FIELD_NOT_FOUND, INVALID_VALUE }

    /** Thrown by {@link #withField} with the wire code of the failure. */
    public static final class InvalidFieldException extends Exception {
        private final FieldError error;
        private final String field;
        private final String value;

        public InvalidFieldException(FieldError error, String field, String value) {
            super(error + ": " + field + "=" + value, null, false, false);
            this.error = error;
            this.field = field;
            this.value = value;
        }

        public FieldError error() {
            return error;
        }

        public String field() {
            return field;
        }

        public String value() {
            return value;
        }
    }

    /** A copy with one flat field set. Field names are case-insensitive. */
    public ClusterConfig withField(String field, String value) throws InvalidFieldException {
        String name = field.toLowerCase(Locale.ROOT);
        if (name.equals("compression_strategy")) {
            CompressionStrategy c = CompressionStrategy.parse(value)
                    .orElseThrow(() -> new InvalidFieldException(FieldError.INVALID_VALUE, field, value));
            return new ClusterConfig(c, migrationConfig, password);
        }
        if (name.equals("password")) {
            if (!validPassword(value)) {
                throw new InvalidFieldException(FieldError.INVALID_VALUE, field, "<hidden>");
            }
            return new ClusterConfig(compressionStrategy, migrationConfig, value);
        }
        if (!name.startsWith("migration_")) {
            throw new InvalidFieldException(FieldError.FIELD_NOT_FOUND, field, value);
        }
        String sub = name.substring("migration_".length());
        if (!sub.equals("max_migration_time") && !sub.equals("max_blocking_time")
                && !sub.equals("scan_interval") && !sub.equals("scan_count")) {
            throw new InvalidFieldException(FieldError.FIELD_NOT_FOUND, field, value);
        }
        long v;
        try {
            v = Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new InvalidFieldException(FieldError.INVALID_VALUE, field, value);
        }
        if (v < 0 || (sub.equals("scan_count") && v == 0)) {
            throw new InvalidFieldException(FieldError.INVALID_VALUE, field, value);
        }
        MigrationConfig m = migrationConfig;
        MigrationConfig updated = switch (sub) {
            case "max_migration_time" -> new MigrationConfig(v, m.maxBlockingTime(), m.scanInterval(), m.scanCount());
            case "max_blocking_time" -> new MigrationConfig(m.maxMigrationTime(), v, m.scanInterval(), m.scanCount());
            case "scan_interval" -> new MigrationConfig(m.maxMigrationTime(), m.maxBlockingTime(), v, m.scanCount());
            default -> new MigrationConfig(m.maxMigrationTime(), m.maxBlockingTime(), m.scanInterval(), v);
        };
        return new ClusterConfig(compressionStrategy, updated, password);
    }

    /** The five flat fields in canonical order, then {@code password} when one is set. */
    public Map<String, String> toFlatMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("compression_strategy", compressionStrategy.text());
        map.put("migration_max_migration_time", Long.toString(migrationConfig.maxMigrationTime()));
        map.put("migration_max_blocking_time", Long.toString(migrationConfig.maxBlockingTime()));
        map.put("migration_scan_interval", Long.toString(migrationConfig.scanInterval()));
        map.put("migration_scan_count", Long.toString(migrationConfig.scanCount()));
        if (hasPassword()) {
            map.put("password", password);
        }
        return map;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "ClusterConfig[compressionStrategy=" + compressionStrategy + ", migrationConfig=" + migrationConfig
                + ", password=" + (hasPassword() ? "<set>" : "<none>") + "]";
    }
}
