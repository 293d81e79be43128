package io.undermoon.proxy.fuzz;

import io.undermoon.proxy.fuzz.ClientStreams.Cmd;
import io.undermoon.proxy.fuzz.ClientStreams.Decoded;
import io.undermoon.testsupport.fuzz.ByteMutator;
import io.undermoon.testsupport.fuzz.Chunks;
import io.undermoon.testsupport.fuzz.HangGuard;
import io.undermoon.testsupport.fuzz.Printable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
        String outcome = GUARD.call(input, () -> StreamExchange.exchange(proxy.port(), Chunks.split(stream, rnd, 64), expected, input));
        Statistics.label("outcome").collect(outcome);
    }

    @Provide
    Arbitrary<List<Cmd>> streams() {
        return ClientStreams.commands().list().ofMinSize(1).ofMaxSize(20);
    }
}
