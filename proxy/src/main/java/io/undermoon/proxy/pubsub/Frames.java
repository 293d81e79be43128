package io.undermoon.proxy.pubsub;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the few RESP2 values pub/sub needs out of complete frames (the framer has checked them):
 * the kind and channel of a push, and the small replies of PUBSUB and PUBLISH that are merged over
 * the proxies of a cluster.
 */
final class Frames {
    /** A RESP error, as a value. */
    record Err(String message) {}

    private Frames() {}

    static boolean isConfirmation(String type) {
        return switch (type) {
            case "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe" -> true;
            default -> false;
        };
    }

    /** The first element of a push frame ("message", "subscribe", ...), or null. */
    static String type(ByteBuf frame) {
        int[] pos = {frame.readerIndex()};
        skipLine(frame, pos); // *N
        Object first = value(frame, pos);
        return first instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
    }

    /** The second element (the channel) of a push frame, or null when nil. */
    static String channel(ByteBuf frame) {
        int[] pos = {frame.readerIndex()};
        skipLine(frame, pos);
        value(frame, pos);
        Object second = value(frame, pos);
        return second instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
    }

    /** The whole value: Long, byte[] (null for nil), List, String (simple) or {@link Err}. */
    static Object parse(ByteBuf frame) {
        return value(frame, new int[] {frame.readerIndex()});
    }

    private static Object value(ByteBuf b, int[] pos) {
        byte t = b.getByte(pos[0]);
        String line = line(b, pos);
        String rest = line.substring(1);
        switch (t) {
            case ':' -> {
                return Long.parseLong(rest);
            }
            case '+' -> {
                return rest;
            }
            case '-' -> {
                return new Err(rest);
            }
            case '$' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                byte[] out = new byte[n];
                b.getBytes(pos[0], out);
                pos[0] += n + 2;
                return out;
            }
            case '*' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    return null;
                }
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(value(b, pos));
                }
                return list;
            }
            default -> throw new IllegalArgumentException("unexpected RESP type " + (char) t);
        }
    }

    private static String line(ByteBuf b, int[] pos) {
        int lf = b.indexOf(pos[0], b.writerIndex(), (byte) '\n');
        String s = b.toString(pos[0], lf - 1 - pos[0], StandardCharsets.UTF_8);
        pos[0] = lf + 1;
        return s;
    }

    private static void skipLine(ByteBuf b, int[] pos) {
        pos[0] = b.indexOf(pos[0], b.writerIndex(), (byte) '\n') + 1;
    }
}
