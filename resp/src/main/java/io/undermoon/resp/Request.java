package io.undermoon.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * One decoded request: the original bytes ({@link #raw()}, a retained slice of the receive buffer,
 * or a RESP re-encoding of an inline command) and where each argument lies inside them. Nothing is
 * copied. The owner must {@link #release()} it exactly once.
 *
 * <p>Subclass it to attach per-command state without a second allocation (the proxy does).
 */
public class Request {
    private static final int[] NO_ARGS = new int[0];

    ByteBuf raw;
    int argc;
    /** pairs (offset from raw.readerIndex(), length) per argument. */
    int[] args = NO_ARGS;
    boolean inline;

    /** The request exactly as the client sent it (RESP), valid until {@link #release()}. */
    public final ByteBuf raw() {
        return raw;
    }

    public final int argc() {
        return argc;
    }

    /** True when the client typed an inline command; {@link #raw()} is then its RESP form. */
    public final boolean isInline() {
        return inline;
    }

    public final int argOffset(int i) {
        return raw.readerIndex() + args[2 * i];
    }

    public final int argLength(int i) {
        return args[2 * i + 1];
    }

    /** Byte j of argument i. */
    public final byte argByte(int i, int j) {
        return raw.getByte(argOffset(i) + j);
    }

    /** A slice of argument i (not retained). */
    public final ByteBuf argSlice(int i) {
        return raw.slice(argOffset(i), argLength(i));
    }

    public final byte[] argBytes(int i) {
        byte[] b = new byte[argLength(i)];
        raw.getBytes(argOffset(i), b);
        return b;
    }

    public final String argString(int i) {
        return raw.toString(argOffset(i), argLength(i), StandardCharsets.UTF_8);
    }

    /** Case-insensitive comparison of argument i with an upper-case ASCII word. */
    public final boolean argEqualsIgnoreCase(int i, byte[] upperAscii) {
        int len = argLength(i);
        if (len != upperAscii.length) {
            return false;
        }
        int off = argOffset(i);
        for (int j = 0; j < len; j++) {
            byte b = raw.getByte(off + j);
            if (b >= 'a' && b <= 'z') {
                b -= 32;
            }
            if (b != upperAscii[j]) {
                return false;
            }
        }
        return true;
    }

    /** Argument i as a signed decimal long, or {@code Long.MIN_VALUE} when it is not one. */
    public final long argLong(int i) {
        int len = argLength(i);
        if (len == 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        int off = argOffset(i);
        boolean neg = raw.getByte(off) == '-';
        int j = neg ? 1 : 0;
        if (j == len) {
            return Long.MIN_VALUE;
        }
        long v = 0;
        for (; j < len; j++) {
            byte b = raw.getByte(off + j);
            if (b < '0' || b > '9') {
                return Long.MIN_VALUE;
            }
            long next = v * 10 + (b - '0');
            if (next < v) {
                return Long.MIN_VALUE;
            }
            v = next;
        }
        return neg ? -v : v;
    }

    /**
     * Replaces this request by the sub-command made of its arguments {@code from..argc-1}, encoded as
     * a new RESP array (used to unwrap a forwarded command). The old bytes are released.
     */
    public final void unwrap(int from, io.netty.buffer.ByteBufAllocator alloc) {
        int n = argc - from;
        int size = 16;
        for (int i = from; i < argc; i++) {
            size += argLength(i) + 16;
        }
        ByteBuf out = alloc.buffer(size);
        RespWriter.arrayHeader(out, n);
        int[] newArgs = new int[2 * n];
        for (int i = 0; i < n; i++) {
            int len = argLength(from + i);
            RespWriter.bulkHeader(out, len);
            newArgs[2 * i] = out.writerIndex();
            newArgs[2 * i + 1] = len;
            out.writeBytes(raw, argOffset(from + i), len);
            out.writeByte('\r').writeByte('\n');
        }
        raw.release();
        raw = out;
        args = newArgs;
        argc = n;
    }

    /**
     * Replaces the bytes of this request by {@code newRaw}, a RESP array of the same number of
     * arguments, each at {@code newArgs} (pairs of offset from {@code newRaw.readerIndex()} and
     * length); the old bytes are released (used to rewrite argument values, e.g. compressed).
     */
    public final void replaceRaw(ByteBuf newRaw, int[] newArgs) {
        if (newArgs.length != 2 * argc) {
            throw new IllegalArgumentException("expected " + argc + " arguments, got " + newArgs.length / 2);
        }
        ByteBuf old = raw;
        raw = newRaw;
        args = newArgs;
        if (old != null) {
            old.release();
        }
    }

    /**
     * Hands the request bytes over to the caller (to write them to a backend) and forgets them; the
     * arguments are not readable afterwards.
     */
    public final ByteBuf detachRaw() {
        ByteBuf r = raw;
        raw = null;
        return r;
    }

    /** Releases the bytes. Safe to call once; later calls do nothing. */
    public final void release() {
        ByteBuf r = raw;
        if (r != null) {
            raw = null;
            r.release();
        }
    }

    @Override
    public String toString() {
        if (raw == null) {
            return "Request(released)";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < argc && i < 8; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(argLength(i) > 64 ? argString(i).substring(0, Math.min(64, argString(i).length())) + "..." : argString(i));
        }
        return sb.toString();
    }
}
