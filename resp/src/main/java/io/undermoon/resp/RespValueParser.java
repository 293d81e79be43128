package io.undermoon.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Parses one complete reply (as framed by {@link ReplyFramer}) into a {@link RespValue}. */
public final class RespValueParser {
    private RespValueParser() {}

    /** Parses the reply at the reader index and advances past it. The input must be a whole frame. */
    public static RespValue parse(ByteBuf in) throws RespProtocolException {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            throw new RespProtocolException("incomplete reply");
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
                if (in.readableBytes() < len + 2) {
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
                long count = type == '%' || type == '|' ? 2 * n : n;
                if (count > in.readableBytes()) {
                    throw new RespProtocolException("incomplete aggregate reply");
                }
                List<RespValue> elements = new ArrayList<>((int) count);
                for (long i = 0; i < count; i++) {
                    elements.add(parse(in));
                }
                if (type == '|') { // drop the attribute, keep what it annotates
                    return parse(in);
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
            throw new RespProtocolException("invalid number in reply: " + s);
        }
    }
}
