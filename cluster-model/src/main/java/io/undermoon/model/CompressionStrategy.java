package io.undermoon.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** Per-cluster value compression: {@code disabled}, {@code set_get_only}, {@code allow_all}. */
public enum CompressionStrategy {
    DISABLED("disabled"),
    SET_GET_ONLY("set_get_only"),
    ALLOW_ALL("allow_all");

    private final String text;

    CompressionStrategy(String text) {
        this.text = text;
    }

    @JsonValue
    public String text() {
        return text;
    }

    /** Case-insensitive parse. */
    public static Optional<CompressionStrategy> parse(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        for (CompressionStrategy c : values()) {
            if (c.text.equals(lower)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    @JsonCreator
    static CompressionStrategy fromJson(String s) {
        return parse(s).orElseThrow(() -> new IllegalArgumentException("invalid compression_strategy: " + s));
    }

    @Override
    public String toString() {
        return text;
    }
}
