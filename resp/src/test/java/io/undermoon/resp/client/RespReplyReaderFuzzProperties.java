package io.undermoon.resp.client;

import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.resp.ReplyStreams;
import io.undermoon.resp.ReplyStreams.Encoded;
import io.undermoon.testsupport.fuzz.Allocation;
import io.undermoon.testsupport.fuzz.ByteMutator;
import io.undermoon.testsupport.fuzz.HangGuard;
import io.undermoon.testsupport.fuzz.Printable;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzing of the blocking client's {@link RespReplyReader} (what the broker and the coordinator use
 * to talk to proxies): valid, mutated and RESP3 reply streams, delivered in random pieces. A stream
 * ends in replies, then the end of the input or a {@link RespProtocolException}; nothing else, no
 * hang, and no allocation for a declared length that never arrives.
 */
class RespReplyReaderFuzzProperties {
    private static final HangGuard GUARD = new HangGuard("reply-reader", Duration.ofSeconds(10));
    private static final ByteMutator MUTATOR = new ByteMutator(ReplyStreams.DICTIONARY);
    private static final RespLimits SMALL = new RespLimits(10, 1000, 64, 3);

    @AfterContainer
    static void stopGuard() {
        GUARD.close();
    }

    record Outcome(List<String> replies, String error) {}

    @Property
    void validRepliesAreReadWhateverTheSplit(@ForAll("resp2") @Size(min = 1, max = 8) List<Encoded> replies, @ForAll long seed)
            throws Exception {
        byte[] stream = ReplyStreams.concat(replies);
        Outcome out = GUARD.call(stream, () -> readAll(stream, RespLimits.REPLIES, new Random(seed)));
        assertThat(out.error()).isNull();
        assertThat(out.replies()).isEqualTo(replies.stream().map(r -> r.value().replace("B(nil)", "nil").replace("A(nil)", "nil"))
                .toList());
    }

    @Property
    void mutatedAndResp3StreamsEndInRepliesOrAProtocolError(@ForAll("mixed") @Size(min = 1, max = 8) List<Encoded> replies,
            @ForAll("limits") RespLimits limits, @ForAll @IntRange(min = 0, max = 8) int edits, @ForAll long seed)
            throws Exception {
        Random rnd = new Random(seed);
        byte[] stream = MUTATOR.mutate(ReplyStreams.concat(replies), rnd, edits);
        Outcome whole = GUARD.call(stream, () -> readAll(stream, limits, null));
        Outcome split = GUARD.call(stream, () -> readAll(stream, limits, rnd));
        assertThat(split).as("split vs whole for %s", Printable.bytes(stream, 400)).isEqualTo(whole);
    }

    @Property
    void aDeclaredBulkLengthCostsNothingUntilTheBytesArrive(@ForAll @IntRange(min = 0, max = 64 << 20) int declared,
            @ForAll @IntRange(min = 0, max = 1000) int sent) throws Exception {
        byte[] input = ("$" + declared + "\r\n" + "z".repeat(Math.min(sent, declared))).getBytes(StandardCharsets.US_ASCII);
        RespReplyReader reader = new RespReplyReader(new ByteArrayInputStream(input), RespLimits.REPLIES);
        Throwable[] thrown = new Throwable[1];
        long allocated = GUARD.call(input, () -> Allocation.measure(() -> {
            try {
                reader.read();
            } catch (IOException e) {
                thrown[0] = e;
            }
        }));
        assertThat(thrown[0]).isInstanceOf(EOFException.class);
        assertThat(allocated).as("bytes allocated for %d declared, %d sent", declared, sent).isLessThan(200_000L);
    }

    private static Outcome readAll(byte[] stream, RespLimits limits, Random split) throws IOException {
        InputStream in = split == null ? new ByteArrayInputStream(stream) : new TrickleStream(stream, split);
        RespReplyReader reader = new RespReplyReader(in, limits);
        List<String> replies = new ArrayList<>();
        while (true) {
            try {
                replies.add(render(reader.read()));
            } catch (RespProtocolException e) {
                assertThat(e.getMessage()).isNotBlank();
                return new Outcome(replies, e.getMessage());
            } catch (EOFException e) {
                return new Outcome(replies, null);
            }
        }
    }

    private static String render(RespReply r) {
        return switch (r) {
            case RespReply.Simple s -> "S(" + s.text() + ")";
            case RespReply.Error e -> "E(" + e.message() + ")";
            case RespReply.Int i -> "I(" + i.value() + ")";
            case RespReply.Bulk b -> "B(" + ReplyStreams.hex(b.data()) + ")";
            case RespReply.Nil n -> "nil";
            case RespReply.Array a -> {
                StringJoiner j = new StringJoiner(",", "A[", "]");
                a.items().forEach(i -> j.add(render(i)));
                yield j.toString();
            }
        };
    }

    /** Delivers its bytes a few at a time, like a socket. */
    private static final class TrickleStream extends InputStream {
        private final byte[] data;
        private final Random rnd;
        private int pos;

        TrickleStream(byte[] data, Random rnd) {
            this.data = data;
            this.rnd = rnd;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + rnd.nextInt(16)), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    @Provide
    Arbitrary<List<Encoded>> resp2() {
        return ReplyStreams.resp2Replies(3).list();
    }

    @Provide
    Arbitrary<List<Encoded>> mixed() {
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, ReplyStreams.resp2Replies(3)),
                net.jqwik.api.Tuple.of(1, ReplyStreams.replies(2))).list();
    }

    @Provide
    Arbitrary<RespLimits> limits() {
        return Arbitraries.of(RespLimits.REPLIES, SMALL);
    }
}
