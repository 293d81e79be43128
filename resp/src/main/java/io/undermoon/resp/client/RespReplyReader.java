package io.undermoon.resp.client;

import io.netty.buffer.ByteBuf;
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
 * The one reply parser: reads replies from a blocking stream, checking every length against
 * {@link RespLimits}. RESP3 types are folded into the RESP2 shapes of {@link RespReply}: null to
 * {@link RespReply#NIL}, boolean to an integer (1 or 0), double and big number to a simple string,
 * map (as key, value, key, value...), set and push to an array, blob error to an error, verbatim
 * string to a bulk string without its format prefix; an attribute is skipped and the value it
 * annotates returned. Not thread-safe; after an exception the stream position is undefined and the
 * reader must be discarded.
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

    /**
     * Parses the one whole reply at {@code frame}'s reader index (as {@code ReplyFramer} delimits
     * it) and advances past it; input that ends early is a protocol error here, not an EOF.
     */
    public static RespReply parse(ByteBuf frame, RespLimits limits) throws RespProtocolException {
        int start = frame.readerIndex();
        CountingInput counted = new CountingInput(frame);
        try {
            RespReplyReader reader = new RespReplyReader(counted, limits);
            RespReply reply = reader.read();
            frame.readerIndex(start + counted.consumedBy(reader.end - reader.pos));
            return reply;
        } catch (RespProtocolException e) {
            throw e;
        } catch (IOException e) {
            throw new RespProtocolException("incomplete reply");
        }
    }

    /** Reads one complete reply. */
    public RespReply read() throws IOException {
        return read(1);
    }

    private RespReply read(int depth) throws IOException {
        int type = readByte();
        for (int attributes = 0; type == '|'; attributes++) { // an attribute: skipped, the value it annotates follows
            if (depth + attributes >= limits.maxNesting()) {
                throw new RespProtocolException("attributes nested deeper than " + limits.maxNesting());
            }
            readAggregate(depth + attributes, 2);
            type = readByte();
        }
        return switch (type) {
            case '+', ',', '(' -> new RespReply.Simple(readLine());
            case '-' -> new RespReply.Error(readLine());
            case ':' -> new RespReply.Int(parseLong(readLine()));
            case '#' -> new RespReply.Int(readLine().equals("t") ? 1 : 0);
            case '_' -> {
                readLine();
                yield RespReply.NIL;
            }
            case '$' -> readBulk();
            case '!' -> readBulk() instanceof RespReply.Bulk b ? new RespReply.Error(b.text()) : RespReply.NIL;
            case '=' -> verbatim(readBulk());
            case '*', '~', '>' -> readAggregate(depth, 1);
            case '%' -> readAggregate(depth, 2);
            default -> throw new RespProtocolException("unexpected reply type byte 0x" + Integer.toHexString(type));
        };
    }

    private static RespReply verbatim(RespReply reply) {
        if (reply instanceof RespReply.Bulk b) {
            byte[] data = b.data();
            if (data.length >= 4 && data[3] == ':') {
                return new RespReply.Bulk(Arrays.copyOfRange(data, 4, data.length));
            }
        }
        return reply;
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

    /** An array (width 1) or a map or attribute (width 2: that many elements per count). */
    private RespReply readAggregate(int depth, int width) throws IOException {
        long len = parseLong(readLine());
        if (len == -1) {
            return RespReply.NIL;
        }
        if (len < 0 || len > limits.maxArrayLength() / width) {
            throw new RespProtocolException("array length " + len + " out of bounds");
        }
        if (depth >= limits.maxNesting() && len > 0) {
            throw new RespProtocolException("arrays nested deeper than " + limits.maxNesting());
        }
        int count = (int) len * width;
        List<RespReply> items = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
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

    /** The readable bytes of a buffer as a stream, remembering how many the parser took. */
    private static final class CountingInput extends InputStream {
        private final ByteBuf frame;
        private final int start;

        CountingInput(ByteBuf frame) {
            this.frame = frame.duplicate();
            this.start = frame.readerIndex();
        }

        int consumedBy(int unread) {
            return frame.readerIndex() - start - unread;
        }

        @Override
        public int read() {
            return frame.isReadable() ? frame.readByte() & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (!frame.isReadable()) {
                return -1;
            }
            int n = Math.min(len, frame.readableBytes());
            frame.readBytes(b, off, n);
            return n;
        }
    }
}
