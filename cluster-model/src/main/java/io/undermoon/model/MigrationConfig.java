package io.undermoon.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Migration timing of a cluster. Units: max_migration_time seconds, max_blocking_time
 * milliseconds, scan_interval microseconds; scan_count keys per SCAN (never 0).
 */
@JsonPropertyOrder({"max_migration_time", "max_blocking_time", "scan_interval", "scan_count"})
public record MigrationConfig(
        @JsonProperty(value = "max_migration_time", required = true) long maxMigrationTime,
        @JsonProperty(value = "max_blocking_time", required = true) long maxBlockingTime,
        @JsonProperty(value = "scan_interval", required = true) long scanInterval,
        @JsonProperty(value = "scan_count", required = true) long scanCount) {

    public static final long DEFAULT_MAX_MIGRATION_TIME = 10800;
    public static final long DEFAULT_MAX_BLOCKING_TIME = 10000;
    public static final long DEFAULT_SCAN_INTERVAL = 500;
    public static final long DEFAULT_SCAN_COUNT = 16;
    public static final MigrationConfig DEFAULT = new MigrationConfig(
            DEFAULT_MAX_MIGRATION_TIME, DEFAULT_MAX_BLOCKING_TIME, DEFAULT_SCAN_INTERVAL, DEFAULT_SCAN_COUNT);

    @JsonCreator
    public MigrationConfig {
        if (maxMigrationTime < 0 || maxBlockingTime < 0 || scanInterval < 0) {
            throw new IllegalArgumentException("migration times must not be negative");
        }
        if (scanCount <= 0) {
            throw new IllegalArgumentException("scan_count must be greater than 0");
        }
    }
}
