package io.undermoon.resp;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decodes client requests, RESP arrays of bulk strings or inline commands, as Redis does, without
 * copying: a decoded {@link Request} is a retained slice of the input plus argument offsets.
 *
 * <p>The decoder is resumable. When a request is incomplete it returns {@code null} and remembers
 * how far it got (relative to the reader index), so a 16 MiB argument is scanned once, not once per
 * read. The reader index only moves when a whole request has been decoded, so the caller may move
 * the unread bytes to a new buffer between calls. Not thread-safe: one decoder per connection.
 */
public final class RequestDecoder<R extends Request> {
    private enum State { START, ELEMENT_HEADER, ELEMENT_BODY }

    /** Argument slots allocated up front; more are added as arguments arrive. */
    private static final int INITIAL_ARGS = 64;

    private final RespLimits limits;
    private final Supplier<R> factory;

    private State state = State.START;
    private R pending;
    private int index;
    /** scan position relative to the reader index (start of the pending request). */
    private int pos;
    private int bulkLength;

    public RequestDecoder(RespLimits limits, Supplier<R> factory) {
        this.limits = limits;
        this.factory = factory;
    }

    /**
     * Decodes the next request starting at {@code in.readerIndex()} and advances the reader index
     * past it. Returns {@code null} when more bytes are needed. Empty arrays and blank inline lines
     * are skipped, as Redis does.
     */
    public R decode(ByteBuf in) throws RespProtocolException {
        for (;;) {
            switch (state) {
                case START -> {
                    if (!in.isReadable()) {
                        return null;
                    }
                    int start = in.readerIndex();
                    if (in.getByte(start) != '*') {
                        R inline = decodeInline(in);
                        if (inline == null && in.isReadable() && in.readerIndex() != start) {
                            continue; // skipped a blank line
                        }
                        return inline;
                    }
                    long fast = countLine(in, start + 1);
                    int lf;
                    long n;
                    if (fast >= 0) {
                        lf = (int) fast;
                        n = fast >>> 32;
                    } else {
                        lf = findLineEnd(in, start + 1, limits.maxInlineLength(), "too big mbulk count string");
                        if (lf < 0) {
                            return null;
                        }
                        n = parseNumber(in, start + 1, lf - 1);
                    }
                    if (n == Long.MIN_VALUE) {
                        throw new RespProtocolException("invalid multibulk length");
                    }
                    if (n > limits.maxArrayLength()) {
                        throw new RespProtocolException("invalid multibulk length: " + n + " arguments exceed the limit of "
                                + limits.maxArrayLength());
                    }
                    if (n <= 0) {
                        in.readerIndex(lf + 1);
                        continue;
                    }
                    R req = factory.get();
                    req.argc = (int) n;
                    // sized by what arrives, not by what the header claims (up to max_array_length)
                    req.args = new int[2 * (int) Math.min(n, INITIAL_ARGS)];
                    req.inline = false;
                    pending = req;
                    index = 0;
                    pos = lf + 1 - start;
                    state = State.ELEMENT_HEADER;
                }
                case ELEMENT_HEADER -> {
                    int start = in.readerIndex();
                    int at = start + pos;
                    if (in.writerIndex() <= at) {
                        return null;
                    }
                    byte marker = in.getByte(at);
                    if (marker != '$') {
                        throw new RespProtocolException("expected '$', got '" + printable(marker) + "'");
                    }
                    long fast = countLine(in, at + 1);
                    int lf;
                    long len;
                    if (fast >= 0) {
                        lf = (int) fast;
                        len = fast >>> 32;
                    } else {
                        lf = findLineEnd(in, at + 1, 32, "invalid bulk length");
                        if (lf < 0) {
                            return null;
                        }
                        len = parseNumber(in, at + 1, lf - 1);
                    }
                    if (len < 0) {
                        throw new RespProtocolException("invalid bulk length");
                    }
                    if (len > limits.maxBulkLength()) {
                        throw new RespProtocolException("invalid bulk length: " + len + " bytes exceed the limit of "
                                + limits.maxBulkLength());
                    }
                    pos = lf + 1 - start;
                    bulkLength = (int) len;
                    if (2 * index == pending.args.length) {
                        pending.args = Arrays.copyOf(pending.args, (int) Math.min(2L * pending.argc, 2L * pending.args.length));
                    }
                    pending.args[2 * index] = pos;
                    pending.args[2 * index + 1] = bulkLength;
                    state = State.ELEMENT_BODY;
                }
                case ELEMENT_BODY -> {
                    int start = in.readerIndex();
                    long end = (long) start + pos + bulkLength + 2;
                    if (in.writerIndex() < end) {
                        return null;
                    }
                    int crlf = (int) end - 2;
                    if (in.getByte(crlf) != '\r' || in.getByte(crlf + 1) != '\n') {
                        throw new RespProtocolException("expected CRLF after a bulk string of " + bulkLength + " bytes");
                    }
                    pos += bulkLength + 2;
                    index++;
                    if (index < pending.argc) {
                        state = State.ELEMENT_HEADER;
                        continue;
                    }
                    R done = pending;
                    done.raw = in.retainedSlice(start, pos);
                    in.readerIndex(start + pos);
                    pending = null;
                    state = State.START;
                    pos = 0;
                    return done;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    /** Forgets a partially decoded request (the connection is closing). */
    public void reset() {
        pending = null;
        state = State.START;
        pos = 0;
    }

    /** True while a request has been started but not completed. */
    public boolean inProgress() {
        return state != State.START;
    }

    /**
     * The usual length line in one pass: "0" or 1 to 9 digits without a leading zero, then CRLF,
     * starting at {@code from}. Returns the number in the high 32 bits and the index of the '\n' in
     * the low 32 bits, or -1 for anything else, complete or not: the caller then takes the general
     * path ({@link #findLineEnd}, {@link #parseNumber}), which accepts this same line with the same
     * value and gives the errors and the incomplete case.
     */
    static long countLine(ByteBuf in, int from) {
        int end = in.writerIndex();
        if (from >= end) {
            return -1;
        }
        byte b = in.getByte(from);
        int i = from + 1;
        int v;
        if (b == '0') {
            v = 0;
        } else if (b >= '1' && b <= '9') {
            v = b - '0';
            int limit = Math.min(end, from + 9);
            while (i < limit) {
                b = in.getByte(i);
                if (b < '0' || b > '9') {
                    break;
                }
                v = v * 10 + (b - '0');
                i++;
            }
        } else {
            return -1;
        }
        if (i + 1 >= end || in.getByte(i) != '\r' || in.getByte(i + 1) != '\n') {
            return -1;
        }
        return ((long) v << 32) | (i + 1);
    }

    /**
     * Index of the '\n' that ends the line starting at {@code from}, or -1 when it has not arrived.
     * The line must end with CRLF and be at most {@code max} bytes long.
     */
    private static int findLineEnd(ByteBuf in, int from, int max, String tooLong) throws RespProtocolException {
        int limit = Math.min(in.writerIndex(), from + max + 2);
        int lf = in.indexOf(from, limit, (byte) '\n');
        if (lf < 0) {
            if (in.writerIndex() - from > max + 1) {
                throw new RespProtocolException(tooLong);
            }
            return -1;
        }
        if (lf == from || in.getByte(lf - 1) != '\r') {
            throw new RespProtocolException("expected CRLF line ending");
        }
        return lf;
    }

    /**
     * Parses the decimal number in [from, to) with Redis's rules (its {@code string2ll}), or returns
     * Long.MIN_VALUE when it is not one: an optional '-', then "0" alone or digits without a leading
     * zero, no "-0", no overflow. Redis refuses every other spelling ("04", "+4", "-0") with a protocol
     * error, and the proxy forwards request headers byte for byte, so accepting one here would let a
     * client break the shared backend connection.
     */
    static long parseNumber(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) {
            return Long.MIN_VALUE;
        }
        if (len == 1 && in.getByte(from) == '0') {
            return 0;
        }
        boolean negative = in.getByte(from) == '-';
        int i = negative ? from + 1 : from;
        if (i == to) {
            return Long.MIN_VALUE;
        }
        byte first = in.getByte(i);
        if (first < '1' || first > '9') {
            return Long.MIN_VALUE;
        }
        long v = first - '0';
        for (i++; i < to; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return Long.MIN_VALUE;
            }
            int digit = b - '0';
            if (v > (Long.MAX_VALUE - digit) / 10) {
                return Long.MIN_VALUE;
            }
            v = v * 10 + digit;
        }
        return negative ? -v : v;
    }

    private static String printable(byte b) {
        return b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }

    // ---- inline commands ---------------------------------------------------------------------

    private R decodeInline(ByteBuf in) throws RespProtocolException {
        int start = in.readerIndex();
        int limit = Math.min(in.writerIndex(), start + limits.maxInlineLength() + 1);
        int lf = in.indexOf(start, limit, (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > limits.maxInlineLength()) {
                throw new RespProtocolException("too big inline request");
            }
            return null;
        }
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        List<byte[]> tokens = splitInline(line);
        in.readerIndex(lf + 1);
        if (tokens.isEmpty()) {
            return null;
        }
        if (tokens.size() > limits.maxArrayLength()) {
            throw new RespProtocolException("invalid multibulk length");
        }
        R req = factory.get();
        ByteBuf raw = in.alloc().buffer(line.length + 16 * tokens.size() + 16);
        raw.writeByte('*').writeCharSequence(Integer.toString(tokens.size()), StandardCharsets.US_ASCII);
        raw.writeByte('\r').writeByte('\n');
        req.argc = tokens.size();
        req.args = new int[2 * tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            byte[] t = tokens.get(i);
            raw.writeByte('$').writeCharSequence(Integer.toString(t.length), StandardCharsets.US_ASCII);
            raw.writeByte('\r').writeByte('\n');
            req.args[2 * i] = raw.writerIndex();
            req.args[2 * i + 1] = t.length;
            raw.writeBytes(t).writeByte('\r').writeByte('\n');
        }
        req.raw = raw;
        req.inline = true;
        return req;
    }

    /**
     * Splits an inline line into arguments exactly as Redis does (its {@code sdssplitargs}): blanks
     * separate arguments; a double or single quote, also in the middle of an argument, starts a quoted
     * part that must end before a blank or the end of the line; inside double quotes {@code \xHH},
     * {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \a} and {@code \<c>} are escapes;
     * inside single quotes only {@code \'}. Outside quotes only space, tab, CR and LF end an argument
     * (a vertical tab or form feed is part of it). One deliberate difference: a NUL byte is an ordinary
     * byte here, where Redis would never find the end of such a line.
     */
    static List<byte[]> splitInline(byte[] line) throws RespProtocolException {
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        int n = line.length;
        while (true) {
            while (i < n && isSpace(line[i])) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            ByteArrayOutputStream cur = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (inDouble) {
                    if (i >= n) {
                        throw new RespProtocolException("unbalanced quotes in request");
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
                        cur.write(Character.digit(line[i + 2], 16) * 16 + Character.digit(line[i + 3], 16));
                        i += 3;
                    } else if (c == '\\' && i + 1 < n) {
                        i++;
                        byte e = line[i];
                        cur.write(switch (e) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> e;
                        });
                    } else if (c == '"') {
                        if (i + 1 < n && !isSpace(line[i + 1])) {
                            throw new RespProtocolException("unbalanced quotes in request");
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else if (inSingle) {
                    if (i >= n) {
                        throw new RespProtocolException("unbalanced quotes in request");
                    }
                    byte c = line[i];
                    if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
                        i++;
                        cur.write('\'');
                    } else if (c == '\'') {
                        if (i + 1 < n && !isSpace(line[i + 1])) {
                            throw new RespProtocolException("unbalanced quotes in request");
                        }
                        done = true;
                    } else {
                        cur.write(c);
                    }
                } else {
                    if (i >= n) {
                        break;
                    }
                    byte c = line[i];
                    switch (c) {
                        case ' ', '\t', '\r', '\n' -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> cur.write(c);
                    }
                }
                if (i < n) {
                    i++;
                }
            }
            out.add(cur.toByteArray());
        }
    }

    /** C's isspace: what Redis skips between arguments and accepts after a closing quote. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == 0x0b || b == '\f';
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
