package io.undermoon.broker.config;

import java.util.Locale;
import java.util.Optional;

/** Where the broker keeps its store: in memory (with the optional meta file) or in an external HTTP service. */
public enum StorageType {
    MEMORY,
    HTTP;

    /** Case-insensitive {@code memory} or {@code http}. */
    public static Optional<StorageType> parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "memory" -> Optional.of(MEMORY);
            case "http" -> Optional.of(HTTP);
            default -> Optional.empty();
        };
    }
}
