package io.undermoon.resp;

import io.netty.buffer.ByteBuf;

/**
 * Finds where the next complete reply ends, without decoding it: the proxy forwards replies
 * byte for byte, so it only needs their boundaries. Understands RESP2 and the RESP3 types
 * (null, boolean, double, big number, blob error, verbatim string, map, set, push, attribute).
 *
 * <p>Resumable like {@link RequestDecoder}: an incomplete reply returns -1 and the scan continues
 * where it stopped once more bytes arrive. Not thread-safe: one framer per connection.
 */
public final class ReplyFramer {
    private final RespLimits limits;
    private final long[] remaining;
    private int depth;
    /** scan position relative to the reader index. */
    private int pos;
    private boolean inBody;
    private int bodyLength;

    public ReplyFramer(RespLimits limits) {
        this.limits = limits;
        this.remaining = new long[limits.maxNesting() + 1];
    }

    /**
     * Returns the byte length of the complete reply that starts at {@code in.readerIndex()}, or -1
     * when it has not fully arrived. Does not move the reader index; the caller consumes exactly the
     * returned number of bytes before calling again.
     */
    public int frame(ByteBuf in) throws RespProtocolException {
        final int start = in.readerIndex();
        for (;;) {
            if (inBody) {
                long end = (long) start + pos + bodyLength + 2;
                if (in.writerIndex() < end) {
                    return -1;
                }
                int crlf = (int) end - 2;
                if (in.getByte(crlf) != '\r' || in.getByte(crlf + 1) != '\n') {
                    throw new RespProtocolException("expected CRLF after a bulk reply of " + bodyLength + " bytes");
                }
                pos += bodyLength + 2;
                inBody = false;
                if (elementDone()) {
                    return finish();
                }
                continue;
            }
            int at = start + pos;
            if (in.writerIndex() <= at) {
                return -1;
            }
            byte type = in.getByte(at);
            // a bulk or array length line is read in one pass when it has the usual form
            long fast = type == '$' || type == '*' ? RequestDecoder.countLine(in, at + 1) : -1;
            int lf;
            if (fast >= 0) {
                lf = (int) fast;
            } else {
                int limit = Math.min(in.writerIndex(), at + 1 + limits.maxInlineLength() + 2);
                lf = in.indexOf(at + 1, limit, (byte) '\n');
                if (lf < 0) {
                    if (in.writerIndex() - at > limits.maxInlineLength() + 2) {
                        throw new RespProtocolException("reply line too long");
                    }
                    return -1;
                }
                if (in.getByte(lf - 1) != '\r' || lf - 1 == at) {
                    throw new RespProtocolException("malformed reply line");
                }
            }
            pos = lf + 1 - start;
            switch (type) {
                case '+', '-', ':', '_', '#', ',', '(' -> {
                    if (elementDone()) {
                        return finish();
                    }
                }
                case '$', '!', '=' -> {
                    long len = fast >= 0 ? fast >>> 32 : RequestDecoder.parseNumber(in, at + 1, lf - 1);
                    if (len == Long.MIN_VALUE || (len < 0 && type != '$')) {
                        throw new RespProtocolException("invalid bulk length in reply");
                    }
                    if (len < 0) { // nil bulk
                        if (elementDone()) {
                            return finish();
                        }
                    } else {
                        if (len > limits.maxBulkLength()) {
                            throw new RespProtocolException("bulk reply of " + len + " bytes exceeds the limit");
                        }
                        bodyLength = (int) len;
                        inBody = true;
                    }
                }
                case '*', '%', '~', '>', '|' -> {
                    long n = fast >= 0 ? fast >>> 32 : RequestDecoder.parseNumber(in, at + 1, lf - 1);
                    if (n == Long.MIN_VALUE || (n < 0 && type != '*')) {
                        throw new RespProtocolException("invalid aggregate length in reply");
                    }
                    if (n > limits.maxArrayLength()) {
                        throw new RespProtocolException("aggregate reply of " + n + " elements exceeds the limit");
                    }
                    long elements = n <= 0 ? 0 : (type == '%' || type == '|' ? 2 * n : n);
                    if (type == '|') {
                        elements += 1; // an attribute is followed by the reply it annotates
                    }
                    if (elements == 0) {
                        if (elementDone()) {
                            return finish();
                        }
                    } else {
                        if (depth >= limits.maxNesting()) {
                            throw new RespProtocolException("reply nested too deeply");
                        }
                        remaining[depth++] = elements;
                    }
                }
                default -> throw new RespProtocolException("unknown reply type byte " + (type & 0xff));
            }
        }
    }

    /** One element finished; returns true when that completed the whole reply. */
    private boolean elementDone() {
        while (depth > 0) {
            if (--remaining[depth - 1] > 0) {
                return false;
            }
            depth--;
        }
        return true;
    }

    private int finish() {
        int len = pos;
        pos = 0;
        return len;
    }

    public void reset() {
        pos = 0;
        depth = 0;
        inBody = false;
    }

    /** True while a reply has been started but not completed. */
    public boolean inProgress() {
        return pos != 0 || inBody || depth != 0;
    }
}
