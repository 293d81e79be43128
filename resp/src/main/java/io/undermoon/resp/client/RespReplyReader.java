package io.undermoon.resp.client;

import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads RESP2 replies from a blocking stream, checking every length against {@link RespLimits}.
 * Not thread-safe; after an exception the stream position is undefined and the reader must be
 * discarded.
 */
public final class RespReplyReader {
    private static final int FIRST_CHUNK = 64 * 1024;

    private final InputStream in;
    private final RespLimits limits;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int end;

    public RespReplyReader(InputStream in, RespLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** Reads one complete reply. */
    public RespReply read() throws IOException {
        return read(1);
    }

    private RespReply read(int depth) throws IOException {
        int type = readByte();
        return switch (type) {
            case '+' -> new RespReply.Simple(readLine());
            case '-' -> new RespReply.Error(readLine());
            case ':' -> new RespReply.Int(parseLong(readLine()));
            case '$' -> readBulk();
            case '*' -> readArray(depth);
            default -> throw new RespProtocolException("unexpected reply type byte 0x" + Integer.toHexString(type));
        };
    }

    private RespReply readBulk() throws IOException {
        long len = parseLong(readLine());
        if (len == -1) {
            return RespReply.NIL;
        }
        if (len < 0 || len > limits.maxBulkLength()) {
            throw new RespProtocolException("bulk string length " + len + " out of bounds");
        }
        byte[] data = readPayload((int) len);
        if (readByte() != '\r' || readByte() != '\n') {
            throw new RespProtocolException("bulk string not terminated by CRLF");
        }
        return new RespReply.Bulk(data);
    }

    private RespReply readArray(int depth) throws IOException {
        long len = parseLong(readLine());
        if (len == -1) {
            return RespReply.NIL;
        }
        if (len < 0 || len > limits.maxArrayLength()) {
            throw new RespProtocolException("array length " + len + " out of bounds");
        }
        if (depth >= limits.maxNesting() && len > 0) {
            throw new RespProtocolException("arrays nested deeper than " + limits.maxNesting());
        }
        List<RespReply> items = new ArrayList<>((int) Math.min(len, 1024));
        for (long i = 0; i < len; i++) {
            items.add(read(depth + 1));
        }
        return new RespReply.Array(items);
    }

    private String readLine() throws IOException {
        byte[] raw = new byte[Math.min(64, limits.maxInlineLength())];
        int n = 0;
        while (true) {
            int b = readByte();
            if (b == '\r') {
                if (readByte() != '\n') {
                    throw new RespProtocolException("CR not followed by LF");
                }
                break;
            }
            if (n == limits.maxInlineLength()) {
                throw new RespProtocolException("line longer than " + limits.maxInlineLength() + " bytes");
            }
            if (n == raw.length) {
                raw = Arrays.copyOf(raw, Math.min(raw.length * 2, limits.maxInlineLength()));
            }
            raw[n++] = (byte) b;
        }
        return new String(raw, 0, n, StandardCharsets.UTF_8);
    }

    private static long parseLong(String s) throws RespProtocolException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new RespProtocolException("invalid number: " + (s.length() > 32 ? s.substring(0, 32) + "..." : s));
        }
    }

    private int readByte() throws IOException {
        if (pos == end) {
            fill();
        }
        return buf[pos++] & 0xff;
    }

    /**
     * Reads {@code len} payload bytes into an array that grows as they arrive, so that a peer that
     * only declares a large bulk string costs at most {@link #FIRST_CHUNK} bytes.
     */
    private byte[] readPayload(int len) throws IOException {
        byte[] dst = new byte[Math.min(len, FIRST_CHUNK)];
        int off = 0;
        while (off < len) {
            if (off == dst.length) {
                dst = Arrays.copyOf(dst, (int) Math.min(len, 2L * dst.length));
            }
            if (pos == end) {
                fill();
            }
            int n = Math.min(end - pos, dst.length - off);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            off += n;
        }
        return dst;
    }

    private void fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
            throw new EOFException("connection closed by peer");
        }
        pos = 0;
        end = n;
    }
}
