package io.undermoon.resp;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A decoded reply, for the control plane (UMCTL, replication, migration, tests), never the data
 * path. RESP3 types are folded into RESP2 shapes: null to a nil bulk, boolean to an integer, double
 * and big number to a simple string, map/set/push to an array, blob error to an error, verbatim
 * string to a bulk string without its format prefix.
 */
public sealed interface RespValue {

    record SimpleString(String value) implements RespValue {}

    record Error(String message) implements RespValue {}

    record Integer(long value) implements RespValue {}

    /** A bulk string; {@code value} is null for the nil bulk. */
    record Bulk(byte[] value) implements RespValue {
        public boolean isNil() {
            return value == null;
        }

        public String asString() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }

    /** An array; {@code elements} is null for the nil array. */
    record Array(List<RespValue> elements) implements RespValue {
        public boolean isNil() {
            return elements == null;
        }
    }

    RespValue NIL_BULK = new Bulk(null);
    RespValue NIL_ARRAY = new Array(null);

    static Bulk bulk(String s) {
        return new Bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    default boolean isError() {
        return this instanceof Error;
    }

    /** Text of a simple string, bulk string or error; null otherwise. */
    default String text() {
        return switch (this) {
            case SimpleString s -> s.value();
            case Error e -> e.message();
            case Bulk b -> b.asString();
            case Integer i -> Long.toString(i.value());
            case Array a -> null;
        };
    }
}
