package io.undermoon.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.undermoon.resp.RequestStreams.Cmd;
import io.undermoon.testsupport.fuzz.Allocation;
import io.undermoon.testsupport.fuzz.ByteMutator;
import io.undermoon.testsupport.fuzz.Chunks;
import io.undermoon.testsupport.fuzz.HangGuard;
import io.undermoon.testsupport.fuzz.Printable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of {@link RequestDecoder} as the proxy drives it: structured request streams (RESP arrays
 * and inline commands) mutated like a coverage-guided fuzzer would (flipped bytes, dictionary
 * tokens, truncation, huge declared lengths, repeated headers), delivered in random pieces into a
 * cumulation buffer whose decoded slices are released in random order.
 *
 * <p>Every try must end in decoded requests or a {@link RespProtocolException} with a message, within
 * a deadline; the outcome must not depend on how the bytes were split; every buffer must end with
 * refCnt 0; and what the decoder hands out for forwarding ({@code raw()}) must be exactly one
 * complete request with the same arguments. The number of tries is jqwik's default
 * ({@code -Djqwik.tries.default}, see docs/reliability.md).
 */
class RequestDecoderFuzzProperties {
    private static final HangGuard GUARD = new HangGuard("request-decoder", Duration.ofSeconds(10));
    private static final ByteMutator MUTATOR = new ByteMutator(RequestStreams.DICTIONARY);

    @AfterContainer
    static void stopGuard() {
        GUARD.close();
    }

    /** What decoding a stream produced: the requests (rendered), then an error or the end of input. */
    record Outcome(List<String> requests, String error, boolean midRequest) {}

    @Property
    void validStreamsDecodeToTheirCommandsWhateverTheSplit(@ForAll("streams") List<Cmd> cmds, @ForAll long seed)
            throws Exception {
        byte[] stream = RequestStreams.encode(cmds);
        Random rnd = new Random(seed);
        Outcome out = GUARD.call(stream, () -> decode(Chunks.split(stream, rnd, 24), RespLimits.DEFAULT, rnd));
        assertThat(out.error()).as("error for %s", Printable.bytes(stream, 300)).isNull();
        assertThat(out.midRequest()).isFalse();
        List<String> expected = new ArrayList<>();
        for (Cmd c : cmds) {
            expected.add(render(c.args(), c.form() != RequestStreams.Form.RESP));
        }
        assertThat(out.requests()).isEqualTo(expected);
    }

    @Property
    void mutatedStreamsEndInRequestsOrAProtocolErrorWhateverTheSplit(@ForAll("streams") List<Cmd> cmds,
            @ForAll("limits") RespLimits limits, @ForAll @IntRange(min = 1, max = 8) int edits, @ForAll long seed)
            throws Exception {
        Random rnd = new Random(seed);
        byte[] stream = MUTATOR.mutate(RequestStreams.encode(cmds), rnd, edits);
        Outcome whole = GUARD.call(stream, () -> decode(List.of(stream), limits, rnd));
        Outcome split = GUARD.call(stream, () -> decode(Chunks.split(stream, rnd, 16), limits, rnd));
        assertThat(split).as("split vs whole for %s", Printable.bytes(stream, 400)).isEqualTo(whole);
        Statistics.label("outcome").collect(whole.error() != null ? "protocol error"
                : whole.midRequest() ? "waiting for more" : "complete");
    }

    @Property
    void randomBytesEndInRequestsOrAProtocolError(@ForAll("garbage") byte[] stream, @ForAll("limits") RespLimits limits,
            @ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        Outcome whole = GUARD.call(stream, () -> decode(List.of(stream), limits, rnd));
        Outcome split = GUARD.call(stream, () -> decode(Chunks.split(stream, rnd, 8), limits, rnd));
        assertThat(split).as("split vs whole for %s", Printable.bytes(stream, 400)).isEqualTo(whole);
    }

    /**
     * A header that declares a huge array or bulk string, followed by only a little data, costs
     * memory in proportion to the bytes received, never to the length declared.
     */
    @Property
    void declaredLengthsCostNothingUntilTheBytesArrive(@ForAll @IntRange(min = 1, max = 1 << 20) int arrayLength,
            @ForAll @IntRange(min = 0, max = 512 << 20) int bulkLength, @ForAll @IntRange(min = 0, max = 20) int fullArgs,
            @ForAll @IntRange(min = 0, max = 200) int partial) throws Exception {
        StringBuilder sb = new StringBuilder("*").append(arrayLength).append("\r\n");
        for (int i = 0; i < Math.min(fullArgs, arrayLength - 1); i++) {
            sb.append("$3\r\nabc\r\n");
        }
        sb.append('$').append(bulkLength).append("\r\n");
        sb.append("x".repeat(Math.min(partial, bulkLength)));
        byte[] input = sb.toString().getBytes(StandardCharsets.US_ASCII);
        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf buf = alloc.directBuffer(input.length).writeBytes(input);
        RequestDecoder<Request> d = new RequestDecoder<>(RespLimits.DEFAULT, Request::new);
        try {
            Request[] results = new Request[3];
            long allocated = GUARD.call(input, () -> Allocation.measure(() -> {
                for (int i = 0; i < results.length; i++) {
                    results[i] = d.decode(buf);
                }
            }));
            assertThat(results).containsOnlyNulls();
            assertThat(allocated).as("bytes allocated to decode %d received bytes declaring %d elements of %d bytes",
                    input.length, arrayLength, bulkLength).isLessThan(4096L + 16L * input.length);
            assertThat(d.inProgress()).isTrue();
        } finally {
            buf.release();
        }
    }

    /** Decodes {@code chunks} like the proxy's session does; asserts the invariants of every step. */
    static Outcome decode(List<byte[]> chunks, RespLimits limits, Random rnd) {
        TrackingAllocator alloc = new TrackingAllocator();
        Cumulation cumulation = new Cumulation(alloc);
        RequestDecoder<Request> decoder = new RequestDecoder<>(limits, Request::new);
        List<Request> held = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        String error = null;
        try {
            for (byte[] chunk : chunks) {
                ByteBuf in = cumulation.append(chunk);
                Request r;
                int before = in.readerIndex();
                while ((r = decoder.decode(in)) != null) {
                    assertThat(in.readerIndex()).as("a decoded request consumes input").isGreaterThan(before);
                    before = in.readerIndex();
                    checkRequest(r, limits);
                    requests.add(render(args(r), r.isInline()));
                    held.add(r);
                }
                cumulation.discardIfConsumed();
                // replies complete in any order relative to reads: release some requests now
                for (int i = held.size() - 1; i >= 0; i--) {
                    if (rnd.nextInt(3) == 0) {
                        held.remove(i).release();
                    }
                }
            }
        } catch (RespProtocolException e) {
            error = e.getMessage();
            assertThat(error).as("protocol error message").isNotBlank();
            decoder.reset();
        } finally {
            held.forEach(Request::release);
            cumulation.close();
        }
        boolean midRequest = decoder.inProgress();
        List<ByteBuf> leaked = alloc.unreleased();
        alloc.releaseAll();
        assertThat(leaked).as("buffers left with refCnt > 0").isEmpty();
        return new Outcome(requests, error, midRequest);
    }

    /** What the proxy forwards must be one whole request, whose arguments are the decoded ones. */
    private static void checkRequest(Request r, RespLimits limits) throws RespProtocolException {
        assertThat(r.argc()).isBetween(1, limits.maxArrayLength());
        for (int i = 0; i < r.argc(); i++) {
            assertThat((long) r.argLength(i)).isBetween(0L, limits.maxBulkLength());
        }
        ByteBuf raw = r.raw().duplicate();
        int length = raw.readableBytes();
        RequestDecoder<Request> again = new RequestDecoder<>(RespLimits.DEFAULT, Request::new);
        Request copy = again.decode(raw);
        assertThat(copy).as("raw() is a complete request").isNotNull();
        try {
            assertThat(raw.readableBytes()).as("raw() holds exactly one request of %d bytes", length).isZero();
            assertThat(copy.isInline()).isFalse();
            assertThat(render(args(copy), false)).isEqualTo(render(args(r), false));
        } finally {
            copy.release();
        }
    }

    static List<byte[]> args(Request r) {
        List<byte[]> a = new ArrayList<>();
        for (int i = 0; i < r.argc(); i++) {
            a.add(r.argBytes(i));
        }
        return a;
    }

    static String render(List<byte[]> args, boolean inline) {
        StringBuilder sb = new StringBuilder(inline ? "inline[" : "resp[");
        for (byte[] a : args) {
            sb.append(Printable.bytes(a, Integer.MAX_VALUE)).append('|');
        }
        return sb.append(']').toString();
    }

    @Provide
    Arbitrary<List<Cmd>> streams() {
        return RequestStreams.streams();
    }

    @Provide
    Arbitrary<RespLimits> limits() {
        return Arbitraries.of(RespLimits.DEFAULT, new RespLimits(4, 64, 16, 8), new RespLimits(100, 1000, 200, 8),
                new RespLimits(1024 * 1024, 536870912L, 64 * 1024, 8));
    }

    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> resp = Arbitraries.of((byte) '*', (byte) '$', (byte) '\r', (byte) '\n', (byte) '1', (byte) '0',
                (byte) '-', (byte) ' ', (byte) '"', (byte) 'a').array(byte[].class).ofMaxSize(300);
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(600), resp);
    }
}
