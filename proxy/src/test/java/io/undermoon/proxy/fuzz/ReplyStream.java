package io.undermoon.proxy.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.undermoon.resp.ReplyFramer;
import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads whole RESP replies from a socket, strictly: anything that is not a well-formed reply fails. */
final class ReplyStream implements AutoCloseable {
    private final InputStream in;
    private final ByteBuf buf = Unpooled.buffer();
    private final ReplyFramer framer = new ReplyFramer(RespLimits.DEFAULT);
    private final byte[] chunk = new byte[65536];

    ReplyStream(InputStream in) {
        this.in = in;
    }

    /** The next reply's bytes, or null at the end of the stream (a partial reply there is an error). */
    byte[] next() throws IOException {
        while (true) {
            int len;
            try {
                len = framer.frame(buf);
            } catch (RespProtocolException e) {
                throw new AssertionError("the proxy sent a malformed reply (" + e.getMessage() + "): " + pending(), e);
            }
            if (len > 0) {
                byte[] out = new byte[len];
                buf.readBytes(out);
                buf.discardReadBytes();
                return out;
            }
            int n;
            try {
                n = in.read(chunk);
            } catch (java.net.SocketException e) {
                // a close with unread input becomes a reset (TCP): after the last reply, the same as a close
                if (!String.valueOf(e.getMessage()).contains("reset")) {
                    throw e;
                }
                n = -1;
            }
            if (n < 0) {
                if (buf.isReadable()) {
                    throw new AssertionError("the connection closed in the middle of a reply: " + pending());
                }
                return null;
            }
            buf.writeBytes(chunk, 0, n);
        }
    }

    private String pending() {
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.length() > 200 ? s.substring(0, 200) + "... (" + s.length() + " bytes)" : s;
    }

    static String text(byte[] reply) {
        String s = new String(reply, StandardCharsets.ISO_8859_1);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Override
    public void close() {
        buf.release();
    }
}
