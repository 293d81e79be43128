package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A node's replication role: {@code "master"} or {@code "replica"} (parsed case-insensitively). */
public enum Role {
    MASTER("master"),
    REPLICA("replica");

    private final String text;

    Role(String text) {
        this.text = text;
    }

    @JsonValue
    public String text() {
        return text;
    }

    @JsonCreator
    public static Role parse(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "master" -> MASTER;
            case "replica" -> REPLICA;
            default -> throw new IllegalArgumentException("invalid role: " + s);
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
