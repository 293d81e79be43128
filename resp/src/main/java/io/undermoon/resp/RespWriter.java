package io.undermoon.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.resp.client.RespReply;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writes RESP2 frames into a buffer. */
public final class RespWriter {
    private static final byte[] CRLF = {'\r', '\n'};

    private RespWriter() {}

    public static ByteBuf simple(ByteBuf out, CharSequence s) {
        out.writeByte('+');
        out.writeCharSequence(s, StandardCharsets.UTF_8);
        return out.writeBytes(CRLF);
    }

    /** An error line; CR and LF inside the message are replaced by spaces. */
    public static ByteBuf error(ByteBuf out, CharSequence s) {
        out.writeByte('-');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') {
                out.writeByte(' ');
            } else if (c < 0x80) {
                out.writeByte(c);
            } else {
                out.writeCharSequence(String.valueOf(c), StandardCharsets.UTF_8);
            }
        }
        return out.writeBytes(CRLF);
    }

    public static ByteBuf integer(ByteBuf out, long v) {
        out.writeByte(':');
        writeDecimal(out, v);
        return out.writeBytes(CRLF);
    }

    public static ByteBuf bulk(ByteBuf out, byte[] b) {
        if (b == null) {
            return nilBulk(out);
        }
        out.writeByte('$');
        writeDecimal(out, b.length);
        out.writeBytes(CRLF);
        out.writeBytes(b);
        return out.writeBytes(CRLF);
    }

    public static ByteBuf bulk(ByteBuf out, String s) {
        return s == null ? nilBulk(out) : bulk(out, s.getBytes(StandardCharsets.UTF_8));
    }

    public static ByteBuf bulkHeader(ByteBuf out, int length) {
        out.writeByte('$');
        writeDecimal(out, length);
        return out.writeBytes(CRLF);
    }

    public static ByteBuf nilBulk(ByteBuf out) {
        return out.writeBytes(new byte[] {'$', '-', '1', '\r', '\n'});
    }

    public static ByteBuf arrayHeader(ByteBuf out, int n) {
        out.writeByte('*');
        writeDecimal(out, n);
        return out.writeBytes(CRLF);
    }

    public static ByteBuf nilArray(ByteBuf out) {
        return out.writeBytes(new byte[] {'*', '-', '1', '\r', '\n'});
    }

    /** A command: an array of bulk strings. */
    public static ByteBuf command(ByteBuf out, List<byte[]> args) {
        arrayHeader(out, args.size());
        for (byte[] a : args) {
            bulk(out, a);
        }
        return out;
    }

    public static ByteBuf command(ByteBufAllocator alloc, String... args) {
        ByteBuf out = alloc.buffer();
        arrayHeader(out, args.length);
        for (String a : args) {
            bulk(out, a);
        }
        return out;
    }

    /** Encodes a reply tree ({@link RespReply#NIL} as the nil bulk string {@code $-1}). */
    public static ByteBuf value(ByteBuf out, RespReply v) {
        switch (v) {
            case RespReply.Simple s -> simple(out, s.text());
            case RespReply.Error e -> error(out, e.message());
            case RespReply.Int i -> integer(out, i.value());
            case RespReply.Bulk b -> bulk(out, b.data());
            case RespReply.Nil n -> nilBulk(out);
            case RespReply.Array a -> {
                arrayHeader(out, a.items().size());
                for (RespReply e : a.items()) {
                    value(out, e);
                }
            }
        }
        return out;
    }

    public static void writeDecimal(ByteBuf out, long v) {
        if (v >= 0 && v < 10) {
            out.writeByte('0' + (int) v);
            return;
        }
        out.writeCharSequence(Long.toString(v), StandardCharsets.US_ASCII);
    }
}
