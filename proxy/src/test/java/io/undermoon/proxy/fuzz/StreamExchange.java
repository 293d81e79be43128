package io.undermoon.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.proxy.fuzz.ClientStreams.Decoded;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a stream to the proxy and checks the replies against what the proxy's decoder makes of it
 * ({@link ClientStreams#decode}): one well-formed reply per request, none of them a protocol error or
 * a backend failure; then the protocol error and the end for a malformed stream, a working
 * connection (PING) for a complete one, +OK and the end after QUIT.
 */
final class StreamExchange {
    private StreamExchange() {}

    /** True when the stream ends inside MULTI (a MULTI not followed by EXEC or DISCARD). */
    private static boolean inMulti(Decoded d) {
        boolean in = false;
        for (int i = 0; i < d.requests().size(); i++) {
            String n = d.name(i);
            if (n.equals("MULTI")) {
                in = true;
            } else if (n.equals("EXEC") || n.equals("DISCARD")) {
                in = false;
            }
        }
        return in;
    }

    /** Returns the outcome: "protocol error", "complete", "incomplete" or "quit". */
    static String exchange(int port, List<byte[]> pieces, Decoded expected, String input) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port); ReplyStream replies = new ReplyStream(s.getInputStream())) {
            s.setSoTimeout(30_000);
            // write from another thread: the proxy stops reading while we do not read its replies
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (byte[] piece : pieces) {
                        out.write(piece);
                        out.flush();
                    }
                } catch (IOException e) {
                    // the proxy closed the connection (QUIT or a protocol error) before we finished
                }
            }, Thread::startVirtualThread);
            int quit = expected.firstQuit();
            int count = quit >= 0 ? quit + 1 : expected.requests().size();
            for (int i = 0; i < count; i++) {
                byte[] reply = replies.next();
                assertThat(reply).as("reply %d of %d to %s", i + 1, count, input).isNotNull();
                String text = ReplyStream.text(reply);
                assertThat(text).as("reply %d to %s", i + 1, input)
                        .doesNotStartWith("-ERR Protocol error")
                        .doesNotStartWith("-ERR_BACKEND");
            }
            String outcome;
            if (quit >= 0) {
                assertThat(replies.next()).as("end of stream after QUIT in %s", input).isNull();
                outcome = "quit";
            } else if (expected.error() != null) {
                byte[] error = replies.next();
                assertThat(error).as("protocol error reply to %s", input).isNotNull();
                assertThat(new String(error, StandardCharsets.ISO_8859_1))
                        .as("protocol error reply to %s", input)
                        .isEqualTo("-ERR Protocol error: " + expected.error() + "\r\n");
                assertThat(replies.next()).as("the connection closes after the protocol error, %s", input).isNull();
                outcome = "protocol error";
            } else if (!expected.pending()) {
                writer.get();
                s.getOutputStream().write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] pong = replies.next();
                assertThat(pong).as("PING after %s", input).isNotNull();
                // a MULTI left open queues the PING, as Redis does
                assertThat(ReplyStream.text(pong)).as("PING after %s", input)
                        .isEqualTo(inMulti(expected) ? "+QUEUED\r\n" : "+PONG\r\n");
                outcome = "complete";
            } else {
                outcome = "incomplete";
            }
            writer.get();
            return outcome;
        }
    }

}
