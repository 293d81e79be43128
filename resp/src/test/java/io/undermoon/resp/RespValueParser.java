package io.undermoon.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' oracle for {@link ReplyFramer} (RESP2 and RESP3): what the framer cut out must parse
 * as exactly one value. Test code: the clients of the project read replies with
 * {@code client.RespReplyReader}, the proxy only frames them.
 *
 * <p>Parses one complete reply (as framed by {@link ReplyFramer}) into a {@link RespValue}. Input that
 * is not a well-formed reply, is incomplete, or nests deeper than {@link RespLimits#DEFAULT}'s
 * {@code maxNesting} is a {@link RespProtocolException}; nothing else is thrown, and nothing is
 * allocated for a length the input declares but does not hold.
 */
public final class RespValueParser {
    private static final int MAX_NESTING = RespLimits.DEFAULT.maxNesting();

    private RespValueParser() {}

    /** Parses the reply at the reader index and advances past it. The input must be a whole frame. */
    public static RespValue parse(ByteBuf in) throws RespProtocolException {
        return parse(in, 0);
    }

    private static RespValue parse(ByteBuf in, int depth) throws RespProtocolException {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            throw new RespProtocolException("incomplete reply");
        }
        if (lf - in.readerIndex() < 2 || in.getByte(lf - 1) != '\r') {
            throw new RespProtocolException("malformed reply line");
        }
        byte type = in.readByte();
        String line = in.toString(in.readerIndex(), lf - 1 - in.readerIndex(), StandardCharsets.UTF_8);
        in.readerIndex(lf + 1);
        switch (type) {
            case '+':
                return new RespValue.SimpleString(line);
            case '-':
                return new RespValue.Error(line);
            case ':':
                return new RespValue.Integer(parseLong(line));
            case '_':
                return RespValue.NIL_BULK;
            case '#':
                return new RespValue.Integer(line.equals("t") ? 1 : 0);
            case ',', '(':
                return new RespValue.SimpleString(line);
            case '$', '!', '=': {
                long len = parseLong(line);
                if (len < 0) {
                    return RespValue.NIL_BULK;
                }
                if (len > in.readableBytes() - 2) { // not len + 2: that overflows for a length near 2^63
                    throw new RespProtocolException("incomplete bulk reply");
                }
                byte[] b = new byte[(int) len];
                in.readBytes(b);
                in.skipBytes(2);
                if (type == '!') {
                    return new RespValue.Error(new String(b, StandardCharsets.UTF_8));
                }
                if (type == '=' && b.length >= 4 && b[3] == ':') {
                    byte[] text = new byte[b.length - 4];
                    System.arraycopy(b, 4, text, 0, text.length);
                    return new RespValue.Bulk(text);
                }
                return new RespValue.Bulk(b);
            }
            case '*', '%', '~', '>', '|': {
                long n = parseLong(line);
                if (n < 0) {
                    return RespValue.NIL_ARRAY;
                }
                // every element takes at least 3 bytes: checking before doubling also rules out overflow
                if (n > in.readableBytes()) {
                    throw new RespProtocolException("incomplete aggregate reply");
                }
                if (depth >= MAX_NESTING) {
                    throw new RespProtocolException("reply nested too deeply");
                }
                int count = (int) (type == '%' || type == '|' ? 2 * n : n);
                List<RespValue> elements = new ArrayList<>(Math.min(count, in.readableBytes() / 3));
                for (int i = 0; i < count; i++) {
                    elements.add(parse(in, depth + 1));
                }
                if (type == '|') { // drop the attribute, keep what it annotates
                    return parse(in, depth + 1);
                }
                return new RespValue.Array(elements);
            }
            default:
                throw new RespProtocolException("unknown reply type byte " + (type & 0xff));
        }
    }

    private static long parseLong(String s) throws RespProtocolException {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new RespProtocolException("invalid number in reply: " + (s.length() > 32 ? s.substring(0, 32) + "..." : s));
        }
    }
}
