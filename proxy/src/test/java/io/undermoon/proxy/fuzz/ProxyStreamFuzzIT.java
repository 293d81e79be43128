package io.undermoon.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.proxy.fuzz.ClientStreams.Cmd;
import io.undermoon.proxy.fuzz.ClientStreams.Decoded;
import io.undermoon.testkit.fuzz.ByteMutator;
import io.undermoon.testkit.fuzz.Chunks;
import io.undermoon.testkit.fuzz.HangGuard;
import io.undermoon.testkit.fuzz.Printable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * End-to-end fuzzing of the server proxy with a real redis-server behind it: each try opens a
 * connection and sends a stream of client commands (data, cluster, proxy, refused and unknown
 * commands, RESP and inline), mutated like a fuzzer would, in random pieces.
 *
 * <p>The proxy's own decoder, run on the same bytes, says what must happen: one well-formed reply
 * per decoded request, in order, none of them a protocol error or a backend failure (a request the
 * proxy forwards must never upset the shared Redis connection); then, if the stream is malformed,
 * {@code -ERR Protocol error: <the decoder's message>} and the connection closed; if it is complete,
 * the connection still works (PING); after QUIT, +OK and a close. Every read has a deadline.
 */
class ProxyStreamFuzzIT {
    private static final HangGuard GUARD = new HangGuard("proxy-stream", Duration.ofSeconds(60));
    private static final ByteMutator MUTATOR = new ByteMutator(ClientStreams.DICTIONARY);
    private static ProxyUnderTest proxy;
    private static int tries;

    @BeforeContainer
    static void start() throws Exception {
        proxy = ProxyUnderTest.start(Map.of());
    }

    @AfterContainer
    static void stop() {
        GUARD.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    @Property
    void everyRequestGetsOneReplyAndAMalformedStreamAProtocolErrorAndAClose(@ForAll("streams") List<Cmd> cmds,
            @ForAll @IntRange(min = 0, max = 6) int edits, @ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        byte[] stream = MUTATOR.mutate(ClientStreams.encode(cmds), rnd, edits);
        Decoded expected = ClientStreams.decode(stream, proxy.limits());
        Assume.that(!expected.anyBlocking());
        if (++tries % 200 == 0) {
            proxy.setCluster(tries); // a mutated command may have changed what the proxy serves; put it back
        }
        String input = Printable.bytes(stream, 500);
        String outcome = GUARD.call(input, () -> exchange(stream, Chunks.split(stream, rnd, 64), expected, input));
        Statistics.label("outcome").collect(outcome);
    }

    private static String exchange(byte[] stream, List<byte[]> pieces, Decoded expected, String input) throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port()); ReplyStream replies = new ReplyStream(s.getInputStream())) {
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
                assertThat(ReplyStream.text(pong)).as("PING after %s", input).isEqualTo("+PONG\r\n");
                outcome = "complete";
            } else {
                outcome = "incomplete";
            }
            writer.get();
            return outcome;
        }
    }

    @Provide
    Arbitrary<List<Cmd>> streams() {
        return ClientStreams.commands().list().ofMinSize(1).ofMaxSize(20);
    }
}
