package io.undermoon.broker.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Where the broker keeps its store: in memory (with the optional meta file), in an external HTTP
 * service, or in etcd (several brokers share it).
 */
public enum StorageType {
    MEMORY,
    HTTP,
    ETCD;

    /** Case-insensitive {@code memory}, {@code http} or {@code etcd}. */
    public static Optional<StorageType> parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "memory" -> Optional.of(MEMORY);
            case "http" -> Optional.of(HTTP);
            case "etcd" -> Optional.of(ETCD);
            default -> Optional.empty();
        };
    }
}
