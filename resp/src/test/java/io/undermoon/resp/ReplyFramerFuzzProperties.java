package io.undermoon.resp;

import io.undermoon.resp.client.RespReplyReader;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.undermoon.resp.ReplyStreams.Encoded;
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
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing of {@link ReplyFramer} (the proxy's backend side) and {@link RespReplyReader} with RESP2
 * and RESP3 reply streams, valid and mutated, split across reads into a cumulation buffer. The
 * framer must find the same frames whatever the split, a frame must be what the parser reads (no
 * more, no fewer bytes), and anything else must be a {@link RespProtocolException} with a message,
 * within a deadline, without leaking a buffer or allocating for a length that was only declared.
 */
class ReplyFramerFuzzProperties {
    private static final HangGuard GUARD = new HangGuard("reply-framer", Duration.ofSeconds(10));
    private static final ByteMutator MUTATOR = new ByteMutator(ReplyStreams.DICTIONARY);

    @AfterContainer
    static void stopGuard() {
        GUARD.close();
    }

    /** The frames found (each as its parsed value, or the parser's error), then the framer's error if any. */
    record Outcome(List<String> frames, String error, boolean midReply) {}

    @Property
    void validRepliesAreFramedAndParsedWhateverTheSplit(@ForAll("replies") @Size(min = 1, max = 8) List<Encoded> replies,
            @ForAll long seed) throws Exception {
        byte[] stream = ReplyStreams.concat(replies);
        Random rnd = new Random(seed);
        Outcome out = GUARD.call(stream, () -> frameAll(Chunks.split(stream, rnd, 24), RespLimits.DEFAULT));
        assertThat(out.error()).as("framer error for %s", Printable.bytes(stream, 300)).isNull();
        assertThat(out.frames()).isEqualTo(replies.stream().map(Encoded::value).toList());
        assertThat(out.midReply()).isFalse();
    }

    @Property
    void mutatedRepliesEndInFramesOrAProtocolError(@ForAll("replies") @Size(min = 1, max = 8) List<Encoded> replies,
            @ForAll("limits") RespLimits limits, @ForAll @IntRange(min = 1, max = 8) int edits, @ForAll long seed)
            throws Exception {
        Random rnd = new Random(seed);
        byte[] stream = MUTATOR.mutate(ReplyStreams.concat(replies), rnd, edits);
        Outcome whole = GUARD.call(stream, () -> frameAll(List.of(stream), limits));
        Outcome split = GUARD.call(stream, () -> frameAll(Chunks.split(stream, rnd, 16), limits));
        assertThat(split).as("split vs whole for %s", Printable.bytes(stream, 400)).isEqualTo(whole);
    }

    @Property
    void theParserOnUnframedBytesReturnsAValueOrAProtocolError(@ForAll("replies") @Size(min = 1, max = 4) List<Encoded> replies,
            @ForAll @IntRange(min = 0, max = 8) int edits, @ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        byte[] stream = MUTATOR.mutate(ReplyStreams.concat(replies), rnd, edits);
        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf buf = alloc.directBuffer(stream.length).writeBytes(stream);
        try {
            GUARD.run(stream, () -> {
                try {
                    while (buf.isReadable()) {
                        int before = buf.readerIndex();
                        RespReplyReader.parse(buf, RespLimits.DEFAULT);
                        assertThat(buf.readerIndex()).isGreaterThan(before);
                    }
                } catch (RespProtocolException e) {
                    assertThat(e.getMessage()).isNotBlank();
                }
                return null;
            });
        } finally {
            buf.release();
        }
    }

    @Property
    void nestingIsBoundedByTheLimit(@ForAll @IntRange(min = 1, max = 5000) int depth, @ForAll("nestingTypes") char type)
            throws Exception {
        String open = type == '%' ? type + "1\r\n+k\r\n" : type + "1\r\n";
        byte[] stream = (open.repeat(depth) + ":1\r\n").getBytes(StandardCharsets.US_ASCII);
        Outcome out = GUARD.call(stream, () -> frameAll(List.of(stream), RespLimits.DEFAULT));
        if (depth <= RespLimits.DEFAULT.maxNesting()) {
            assertThat(out.error()).isNull();
            assertThat(out.frames()).hasSize(1);
        } else {
            assertThat(out.error()).isEqualTo("reply nested too deeply");
        }
    }

    @Property
    void declaredLengthsCostNothingUntilTheBytesArrive(@ForAll("aggregateTypes") char type,
            @ForAll @IntRange(min = 1, max = 1 << 20) int elements, @ForAll @IntRange(min = 0, max = 512 << 20) int bulk,
            @ForAll @IntRange(min = 0, max = 100) int partial) throws Exception {
        byte[] input = (type + Integer.toString(elements) + "\r\n$" + bulk + "\r\n" + "y".repeat(Math.min(partial, bulk)))
                .getBytes(StandardCharsets.US_ASCII);
        TrackingAllocator alloc = new TrackingAllocator();
        ByteBuf buf = alloc.directBuffer(input.length).writeBytes(input);
        ReplyFramer framer = new ReplyFramer(RespLimits.DEFAULT);
        try {
            int[] results = new int[3];
            // one unmeasured call on a fresh framer first: a cold JVM's first pass through a path
            // (class loading, the interpreter) allocates a little, whatever the declared lengths
            new ReplyFramer(RespLimits.DEFAULT).frame(buf);
            long allocated = GUARD.call(input, () -> Allocation.measure(() -> {
                for (int i = 0; i < results.length; i++) {
                    results[i] = framer.frame(buf);
                }
            }));
            assertThat(results).containsOnly(-1);
            assertThat(allocated).isLessThan(1024L);
        } finally {
            buf.release();
        }
    }

    /** Frames a stream the way the backend connection does, parsing each frame. */
    static Outcome frameAll(List<byte[]> chunks, RespLimits limits) {
        TrackingAllocator alloc = new TrackingAllocator();
        Cumulation cumulation = new Cumulation(alloc);
        ReplyFramer framer = new ReplyFramer(limits);
        List<String> frames = new ArrayList<>();
        String error = null;
        try {
            for (byte[] chunk : chunks) {
                ByteBuf in = cumulation.append(chunk);
                int len;
                while ((len = framer.frame(in)) >= 0) {
                    assertThat(len).isPositive().isLessThanOrEqualTo(in.readableBytes());
                    ByteBuf frame = in.readRetainedSlice(len);
                    try {
                        frames.add(parseFrame(frame));
                    } finally {
                        frame.release();
                    }
                }
                cumulation.discardIfConsumed();
            }
        } catch (RespProtocolException e) {
            error = e.getMessage();
            assertThat(error).isNotBlank();
            framer.reset();
        } finally {
            cumulation.close();
        }
        boolean midReply = framer.inProgress();
        List<ByteBuf> leaked = alloc.unreleased();
        alloc.releaseAll();
        assertThat(leaked).as("buffers left with refCnt > 0").isEmpty();
        return new Outcome(frames, error, midReply);
    }

    /** The parsed value of a frame; a frame the parser accepts is consumed exactly. */
    private static String parseFrame(ByteBuf frame) {
        ByteBuf view = frame.duplicate();
        try {
            String value = ReplyStreams.render(RespReplyReader.parse(view, RespLimits.DEFAULT));
            assertThat(view.readableBytes()).as("the parser reads exactly the frame: %s",
                    frame.toString(StandardCharsets.ISO_8859_1)).isZero();
            return value;
        } catch (RespProtocolException e) {
            assertThat(e.getMessage()).isNotBlank();
            return "unparseable: " + e.getMessage();
        }
    }

    @Provide
    Arbitrary<List<Encoded>> replies() {
        return ReplyStreams.replies(3).list();
    }

    @Provide
    Arbitrary<RespLimits> limits() {
        return Arbitraries.of(RespLimits.DEFAULT, new RespLimits(4, 64, 16, 2), new RespLimits(100, 1000, 200, 8));
    }

    @Provide
    Arbitrary<Character> nestingTypes() {
        return Arbitraries.of('*', '%', '~', '>');
    }

    @Provide
    Arbitrary<Character> aggregateTypes() {
        return Arbitraries.of('*', '%', '~', '>', '|');
    }
}
