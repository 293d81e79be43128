package io.undermoon.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Regression (proxy stream fuzzing): when the proxy closed a connection after a protocol error (or
 * QUIT) while the client was still sending, the unread input made the close a TCP reset, and the
 * kernel dropped what the proxy had written but not yet sent: the client lost the end of earlier
 * replies and the "-ERR Protocol error" that says why. The proxy now half-closes and drains the
 * input for a moment before closing.
 */
class ClosingSessionIT {
    private static ProxyUnderTest proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyUnderTest.start(Map.of());
    }

    @AfterAll
    static void stop() {
        proxy.close();
    }

    @RepeatedTest(5)
    void repliesBeforeAProtocolErrorArriveWholeWhileTheClientKeepsSending() throws Exception {
        String big = "v".repeat(400_000);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*2\r\n$4\r\nECHO\r\n$" + big.length() + "\r\n" + big + "\r\n").getBytes(StandardCharsets.US_ASCII));
        request.writeBytes("*1\r\n:1\r\n".getBytes(StandardCharsets.US_ASCII)); // malformed: ':' where '$' belongs
        request.writeBytes(new byte[4 << 20]); // and the client keeps sending
        assertTheRepliesArrive(request.toByteArray(), big, "-ERR Protocol error: expected '$', got ':'\r\n");
    }

    @RepeatedTest(5)
    void repliesBeforeQuitArriveWholeWhileTheClientKeepsSending() throws Exception {
        String big = "q".repeat(400_000);
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("*2\r\n$4\r\nECHO\r\n$" + big.length() + "\r\n" + big + "\r\n*1\r\n$4\r\nQUIT\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 100_000; i++) {
            request.writeBytes("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertTheRepliesArrive(request.toByteArray(), big, "+OK\r\n");
    }

    private static void assertTheRepliesArrive(byte[] request, String echoed, String last) throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port()); ReplyStream replies = new ReplyStream(s.getInputStream())) {
            s.setSoTimeout(20_000);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < request.length; off += 65536) {
                        out.write(request, off, Math.min(65536, request.length - off));
                    }
                } catch (IOException expected) {
                    // the proxy closes the connection before the client is done
                }
            }, Thread::startVirtualThread);
            byte[] echo = replies.next();
            assertThat(echo).isNotNull();
            assertThat(new String(echo, StandardCharsets.US_ASCII)).isEqualTo("$" + echoed.length() + "\r\n" + echoed + "\r\n");
            byte[] end = replies.next();
            assertThat(end).as("the reply that ends the session").isNotNull();
            assertThat(new String(end, StandardCharsets.US_ASCII)).isEqualTo(last);
            assertThat(replies.next()).isNull();
            writer.get();
        }
    }
}
