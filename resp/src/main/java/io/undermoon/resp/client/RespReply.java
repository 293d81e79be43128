package io.undermoon.resp.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The one reply type: what {@link RespReplyReader} parses (RESP3 folded into these RESP2 shapes),
 * what {@link BlockingRespClient} returns, and what the programs build for their own replies
 * ({@code RespWriter.value}). For the control plane and tests, never the data path.
 */
public sealed interface RespReply {

    /** {@code +text}. */
    record Simple(String text) implements RespReply {}

    /** {@code -message}: a Redis error reply (a normal reply, not an exception). */
    record Error(String message) implements RespReply {}

    /** {@code :n}. */
    record Int(long value) implements RespReply {}

    /** {@code $n} bulk string. */
    record Bulk(byte[] data) implements RespReply {
        public Bulk {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /** The payload as UTF-8 text. */
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk b && Arrays.equals(data, b.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Bulk[" + text() + "]";
        }
    }

    /** {@code *n} array. */
    record Array(List<RespReply> items) implements RespReply {
        public Array {
            items = List.copyOf(items);
        }
    }

    /** {@code $-1} or {@code *-1}. */
    record Nil() implements RespReply {}

    Nil NIL = new Nil();

    /** Text of a simple string, bulk string, error or integer; null for nil and arrays. */
    default String text() {
        return switch (this) {
            case Error e -> e.message();
            case Int i -> Long.toString(i.value());
            default -> null;
        };
    }

    static Bulk bulk(String text) {
        return new Bulk(text.getBytes(StandardCharsets.UTF_8));
    }
}
