package io.undermoon.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undermoon.proxy.fuzz.MemoryGauge.Reading;
import io.undermoon.testkit.Resp;
import io.undermoon.testsupport.fuzz.ByteMutator;
import io.undermoon.testsupport.fuzz.FuzzBudget;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's memory stays bounded under hostile input, measured in this JVM: Netty's allocator
 * (direct and heap), the JDK's direct buffer pool and the heap after GC are read before and after
 * (and during) oversized declared lengths, a half-sent 512 MiB argument, endless lines, many
 * connections sending garbage in parallel and many connections holding partial requests. Each
 * phase is answered as Redis would ({@code -ERR Protocol error: ...} and a close), a fresh
 * connection keeps getting PONG throughout, no buffer leaks, a connection's memory is given back
 * when it closes, and what the allocator keeps cached for reuse does not grow when the same
 * hostile input comes again.
 */
class ProxyMemoryFuzzIT {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyMemoryFuzzIT.class);
    private static final long MIB = 1024 * 1024;
    /** Leeway for what the allocator keeps cached and for the heap. */
    private static final long SLACK = 64 * MIB;
    /** 200 connections holding 256 KiB each, with the cumulation's doubling. */
    private static final long HOLDERS_PEAK = 4L * 200 * 256 * 1024;
    /** Rounds of the same input whose retention is compared, first half against second half. */
    private static final int RETENTION_ROUNDS = 8;
    /** A fresh connection's PING must be answered within this while the garbage is sent. */
    private static final long HEALTH_PING_MAX_MILLIS = 5000;
    private static final ByteMutator MUTATOR = new ByteMutator(ClientStreams.DICTIONARY);

    private static ProxyUnderTest proxy;
    private static final MemoryGauge gauge = new MemoryGauge();

    @BeforeAll
    static void start() throws Exception {
        gauge.watchLeaks();
        proxy = ProxyUnderTest.start(Map.of());
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void memoryStaysBoundedUnderOversizedEndlessAndParallelGarbageInput() throws Exception {
        warmUp();
        Reading baseline = gauge.read();
        LOG.info("baseline: {}", baseline);

        oversizedDeclaredLengthsAreRefusedAtOnce();
        assertWithin(baseline, gauge.read(), 16 * MIB, "after oversized declared lengths");

        aHalfSentHugeArgumentCostsWhatArrived(baseline, 48 * MIB);
        endlessLinesAreCutAtTheLimit();

        int connections = FuzzBudget.tries();
        long started = System.nanoTime();
        parallelGarbage(connections, 32);
        LOG.info("{} garbage connections in {} ms", connections, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));

        // the allocator keeps some freed chunks for reuse: what it keeps must not grow with the input.
        // What it keeps after one round varies with where the connections' buffers landed (seen: 89 to
        // 115 MiB after identical rounds), so one round against another is noise; the plateau of the
        // first half of the rounds against the second half is not: a cache that grew by g a round would
        // show about ROUNDS/2 x g more.
        List<Reading> rounds = new ArrayList<>();
        for (int round = 0; round < RETENTION_ROUNDS; round++) {
            manyConnectionsHoldingPartialRequests(baseline, 200, 256 * 1024);
            await().atMost(Duration.ofSeconds(30)).until(() -> proxy.proxy.context().stats().connectedClients.get() == 0);
            rounds.add(gauge.read());
            LOG.info("after round {} of 200 connections holding partial requests: {}", round + 1, rounds.getLast());
        }
        Reading firstPlateau = highest(rounds.subList(0, RETENTION_ROUNDS / 2));
        Reading secondPlateau = highest(rounds.subList(RETENTION_ROUNDS / 2, RETENTION_ROUNDS));
        assertWithin(firstPlateau, secondPlateau, 16 * MIB,
                "in rounds " + (RETENTION_ROUNDS / 2 + 1) + "-" + RETENTION_ROUNDS + " against rounds 1-" + RETENTION_ROUNDS / 2
                        + " of the same input (retention grew; every round: " + rounds + ")");
        assertWithin(baseline, rounds.getLast(), HOLDERS_PEAK + SLACK, "after every connection closed");
        Reading end = gauge.read();
        LOG.info("end: {}", end);
        assertThat(end.heapAfterGc()).as("heap after GC, baseline %s, end %s", baseline, end)
                .isLessThan(baseline.heapAfterGc() + SLACK);
        assertThat(gauge.leaks()).as("buffers leaked by the proxy").isEmpty();
        assertThat(Resp.command("127.0.0.1", proxy.port(), "SET", "after", "fuzz")).isEqualTo("+OK");
        assertThat(Resp.command("127.0.0.1", proxy.port(), "GET", "after")).isEqualTo("fuzz");
    }

    private static void warmUp() throws Exception {
        for (int i = 0; i < 200; i++) {
            assertThat(Resp.command("127.0.0.1", proxy.port(), "SET", "w" + i, "x".repeat(i * 10))).isEqualTo("+OK");
        }
        expectProtocolErrorAndClose("*1\r\n:1\r\n".getBytes(StandardCharsets.US_ASCII), "expected '$'");
    }

    private static void oversizedDeclaredLengthsAreRefusedAtOnce() throws Exception {
        for (String header : List.of("*1048577\r\n", "*2147483648\r\n", "*9223372036854775807\r\n", "*1\r\n$536870913\r\n",
                "*1\r\n$9223372036854775807\r\n", "*1\r\n$99999999999999999999\r\n", "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4294967296\r\n",
                "*1\r\n$-5\r\n", "*01\r\n$4\r\nPING\r\n", "*1\r\n$04\r\nPING\r\n")) {
            expectProtocolErrorAndClose(header.getBytes(StandardCharsets.US_ASCII), "invalid");
        }
    }

    /** 48 MiB of a declared 512 MiB argument: the proxy holds about what arrived, and gives it back on close. */
    private static void aHalfSentHugeArgumentCostsWhatArrived(Reading baseline, long sent) throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port())) {
            OutputStream out = s.getOutputStream();
            out.write("*3\r\n$3\r\nSET\r\n$4\r\nhuge\r\n$536870912\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            for (long n = 0; n < sent; n += chunk.length) {
                out.write(chunk);
            }
            out.flush();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> gauge.read().allocatorDirect() >= baseline.allocatorDirect() + sent / 2);
            Reading during = gauge.read();
            LOG.info("holding {} MiB of a 512 MiB argument: {}", sent / MIB, during);
            assertWithin(baseline, during, 3 * sent + 32 * MIB, "holding " + sent / MIB + " MiB of a 512 MiB argument");
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertWithin(baseline, gauge.read(), SLACK, "after the huge argument's connection closed"));
    }

    private static void endlessLinesAreCutAtTheLimit() throws Exception {
        byte[] line = new byte[8 << 20];
        java.util.Arrays.fill(line, (byte) 'a');
        expectProtocolErrorAndClose(line, "too big inline request");
        byte[] count = new byte[8 << 20];
        java.util.Arrays.fill(count, (byte) '1');
        count[0] = '*';
        expectProtocolErrorAndClose(count, "too big mbulk count string");
        StringBuilder nested = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            nested.append("*1\r\n");
        }
        expectProtocolErrorAndClose(nested.toString().getBytes(StandardCharsets.US_ASCII), "expected '$', got '*'");
    }

    /** Sends {@code input} (from another thread) and expects only {@code -ERR Protocol error: ...<fragment>...}, then the end. */
    private static void expectProtocolErrorAndClose(byte[] input, String fragment) throws Exception {
        try (Socket s = new Socket("127.0.0.1", proxy.port()); ReplyStream replies = new ReplyStream(s.getInputStream())) {
            s.setSoTimeout(20_000);
            Thread writer = Thread.startVirtualThread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < input.length; off += 65536) {
                        out.write(input, off, Math.min(65536, input.length - off));
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    // closed by the proxy first
                }
            });
            byte[] reply = replies.next();
            assertThat(reply).as("reply to %s", preview(input)).isNotNull();
            assertThat(ReplyStream.text(reply)).as("reply to %s", preview(input)).startsWith("-ERR Protocol error: ").contains(fragment);
            assertThat(replies.next()).as("the end after the protocol error").isNull();
            writer.join(20_000);
        }
    }

    /**
     * {@code n} connections over {@code threads} threads, each sending one of: a mutated command
     * stream, random bytes, an oversized header with some data and an abrupt reset, a long line, a
     * clean pipeline. Whatever comes back must be well-formed replies with a protocol error only as
     * the last one; meanwhile a fresh connection must keep answering PING.
     */
    private static void parallelGarbage(int n, int threads) throws Exception {
        // jqwik generates only on the test's own thread: a pool of encoded streams, mutated per connection
        List<byte[]> streams = ClientStreams.commands().list().ofMinSize(1).ofMaxSize(12).sampleStream().limit(500)
                .map(ClientStreams::encode).toList();
        long seed = new Random().nextLong();
        LOG.info("parallel garbage seed {}", seed);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Map<String, AtomicLong> kinds = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong pings = new AtomicLong();
        Thread health = Thread.ofPlatform().name("fuzz-health").start(() -> {
            while (!done.get()) {
                try {
                    long t0 = System.nanoTime();
                    Object pong = Resp.command("127.0.0.1", proxy.port(), "PING");
                    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                    // a liveness bound, not a latency target: on 2 shared cores under 32 garbage senders
                    // one PING was seen taking 2.03 s
                    if (!"+PONG".equals(pong) || ms > HEALTH_PING_MAX_MILLIS) {
                        failures.add("health PING answered " + pong + " after " + ms + " ms");
                    }
                    pings.incrementAndGet();
                    Thread.sleep(100);
                } catch (IOException | InterruptedException e) {
                    failures.add("health PING failed: " + e);
                }
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long connectionSeed = seed + i;
                futures.add(pool.submit(() -> {
                    Random rnd = new Random(connectionSeed);
                    try {
                        kinds.computeIfAbsent(garbageConnection(rnd, streams), k -> new AtomicLong()).incrementAndGet();
                    } catch (Exception | AssertionError e) {
                        failures.add("connection seed " + connectionSeed + ": " + e);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            done.set(true);
            pool.shutdownNow();
            health.join(10_000);
        }
        LOG.info("garbage connections by kind {}, health PINGs {}", kinds, pings.get());
        assertThat(failures).as("failures (seed %d)", seed).isEmpty();
        assertThat(pings.get()).isPositive();
    }

    private static String garbageConnection(Random rnd, List<byte[]> streams) throws Exception {
        int kind = rnd.nextInt(5);
        byte[] input = switch (kind) {
            case 0 -> MUTATOR.mutate(streams.get(rnd.nextInt(streams.size())), rnd, rnd.nextInt(6));
            case 1 -> {
                byte[] b = new byte[1 + rnd.nextInt(32 * 1024)];
                rnd.nextBytes(b);
                yield b;
            }
            case 2 -> ("*2\r\n$4\r\nECHO\r\n$" + (100_000_000 + rnd.nextInt(400_000_000)) + "\r\n" + "z".repeat(rnd.nextInt(200_000)))
                    .getBytes(StandardCharsets.US_ASCII);
            case 3 -> "PING ".repeat(1 + rnd.nextInt(40_000)).getBytes(StandardCharsets.US_ASCII);
            default -> "*1\r\n$4\r\nPING\r\n*3\r\n$3\r\nSET\r\n$2\r\nkk\r\n$1\r\nv\r\n".repeat(1 + rnd.nextInt(200))
                    .getBytes(StandardCharsets.US_ASCII);
        };
        if (kind == 2 || rnd.nextInt(8) == 0) {
            // an abrupt reset while the proxy holds a partial request (or is busy replying)
            try (Socket s = new Socket("127.0.0.1", proxy.port())) {
                s.getOutputStream().write(input, 0, rnd.nextInt(input.length + 1));
                s.setSoLinger(true, 0);
            }
            return "reset";
        }
        ClientStreams.Decoded expected = ClientStreams.decode(input, proxy.limits());
        if (expected.anyBlocking()) {
            return "skipped (blocking command)";
        }
        String input0 = preview(input);
        String outcome = StreamExchange.exchange(proxy.port(), io.undermoon.testsupport.fuzz.Chunks.split(input, rnd, 4096), expected,
                input0);
        return (kind == 0 ? "mutated stream" : kind == 1 ? "random bytes" : kind == 3 ? "long line" : "pipeline") + ": " + outcome;
    }

    /** {@code n} connections each holding {@code each} bytes of a declared 512 MiB argument. */
    private static void manyConnectionsHoldingPartialRequests(Reading baseline, int n, int each) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            byte[] body = new byte[each];
            for (int i = 0; i < n; i++) {
                Socket s = new Socket("127.0.0.1", proxy.port());
                sockets.add(s);
                OutputStream out = s.getOutputStream();
                out.write("*2\r\n$4\r\nECHO\r\n$536870912\r\n".getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
            Reading during = gauge.read();
            LOG.info("{} connections holding {} KiB each: {}", n, each / 1024, during);
            assertWithin(baseline, during, 4L * n * each + 32 * MIB, n + " connections holding partial requests");
            assertThat(Resp.command("127.0.0.1", proxy.port(), "PING")).isEqualTo("+PONG");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    /** The reading with the most allocator memory. */
    private static Reading highest(List<Reading> readings) {
        return readings.stream().max(java.util.Comparator.comparingLong(r -> r.allocatorDirect() + r.allocatorHeap())).orElseThrow();
    }

    private static void assertWithin(Reading baseline, Reading now, long bound, String when) {
        assertThat(now.allocatorDirect() + now.allocatorHeap())
                .as("Netty allocator memory %s: baseline %s, now %s", when, baseline, now)
                .isLessThanOrEqualTo(baseline.allocatorDirect() + baseline.allocatorHeap() + bound);
        assertThat(now.jdkDirect()).as("JDK direct buffers %s: baseline %s, now %s", when, baseline, now)
                .isLessThanOrEqualTo(baseline.jdkDirect() + bound);
        if (now.nettyDirect() >= 0) {
            assertThat(now.nettyDirect()).as("Netty direct memory %s", when).isLessThanOrEqualTo(baseline.nettyDirect() + bound);
        }
    }

    private static String preview(byte[] input) {
        String s = new String(input, 0, Math.min(60, input.length), StandardCharsets.ISO_8859_1);
        return s.replace("\r", "\\r").replace("\n", "\\n") + (input.length > 60 ? "... (" + input.length + " bytes)" : "");
    }
}
