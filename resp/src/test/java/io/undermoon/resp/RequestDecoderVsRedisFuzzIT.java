package io.undermoon.resp;

import io.undermoon.resp.client.RespReplyReader;
import io.undermoon.resp.client.RespReply;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.undermoon.resp.RequestStreams.Cmd;
import io.undermoon.resp.RequestStreams.Form;
import io.undermoon.process.RedisProcess;
import io.undermoon.testsupport.fuzz.ByteMutator;
import io.undermoon.testsupport.fuzz.Printable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Differential fuzzing of {@link RequestDecoder} against a real redis-server. The proxy forwards the
 * bytes of each decoded request unchanged, so whatever the decoder accepts, Redis must accept and
 * read as the same arguments; otherwise one client could desynchronise a backend connection that
 * other clients share. The decoder may be stricter than Redis (it refuses a bulk string not followed
 * by CRLF, which Redis silently skips), never more lenient.
 *
 * <p>Each try sends a mutated stream of PING and ECHO commands to Redis (then half-closes) and to
 * the decoder: every request the decoder produced before its end or its error must have the reply
 * Redis gave to the same position, and a stream the decoder reads to the end without error must be
 * read by Redis without error too.
 */
class RequestDecoderVsRedisFuzzIT {
    private static final ByteMutator MUTATOR = new ByteMutator(RequestStreams.DICTIONARY);
    private static RedisProcess redis;

    @BeforeContainer
    static void startRedis() {
        redis = RedisProcess.start();
    }

    @AfterContainer
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Property
    void whatTheDecoderAcceptsRedisReadsTheSameWay(@ForAll("streams") List<Cmd> cmds,
            @ForAll @IntRange(min = 0, max = 6) int edits, @ForAll long seed) throws Exception {
        byte[] stream = MUTATOR.mutate(RequestStreams.encode(cmds), new Random(seed), edits);
        Decoded ours = decode(stream);
        RedisOutcome redisOutcome = sendToRedis(stream);
        List<RespReply> theirs = redisOutcome.replies();
        String input = Printable.bytes(stream, 600);

        int compared = ours.requests().size();
        for (int i = 0; i < ours.requests().size(); i++) {
            List<byte[]> args = ours.requests().get(i);
            if (ours.inline().get(i) && args.stream().anyMatch(a -> indexOf(a, (byte) 0) >= 0)) {
                // Redis cannot find the end of an inline line holding a NUL; the proxy re-encodes inline
                // commands as RESP, so Redis never sees such a line from it
                compared = i;
                break;
            }
            if (redisOutcome.reset() && theirs.size() <= i) {
                // Redis closed with unread input after a protocol error: TCP reset, the rest of its replies is lost
                compared = i;
                break;
            }
            assertThat(theirs.size()).as("Redis replied to fewer requests than were decoded from %s", input).isGreaterThan(i);
            RespReply reply = theirs.get(i);
            assertThat(isProtocolError(reply)).as("Redis refused request %d that the decoder accepted from %s: %s", i, input,
                    reply).isFalse();
            String expected = expectedReply(args);
            if (expected != null) {
                assertThat(ReplyStreams.render(reply)).as("reply %d to %s", i, input).isEqualTo(expected);
            }
        }
        if (compared == ours.requests().size() && ours.error() == null && !ours.midRequest()) {
            assertThat(redisOutcome.reset()).as("Redis refused part of %s, which the decoder read whole", input).isFalse();
            assertThat(theirs).as("the decoder read all of %s; Redis must too", input).hasSize(compared);
        }
        Statistics.label("decoder").collect(ours.error() != null ? "protocol error" : ours.midRequest() ? "incomplete" : "complete");
        Statistics.label("redis").collect(redisOutcome.reset() ? "reset after a protocol error" : "closed");
    }

    /** The requests decoded, then an error, or unread bytes (a request not yet complete), or nothing. */
    record Decoded(List<List<byte[]>> requests, List<Boolean> inline, String error, boolean midRequest) {}

    private static Decoded decode(byte[] stream) {
        RequestDecoder<Request> d = new RequestDecoder<>(RespLimits.DEFAULT, Request::new);
        ByteBuf buf = Unpooled.wrappedBuffer(stream);
        List<List<byte[]>> requests = new ArrayList<>();
        List<Boolean> inline = new ArrayList<>();
        String error = null;
        boolean pending;
        try {
            Request r;
            while ((r = d.decode(buf)) != null) {
                requests.add(RequestDecoderFuzzProperties.args(r));
                inline.add(r.isInline());
                r.release();
            }
            pending = d.inProgress() || buf.isReadable();
        } catch (RespProtocolException e) {
            error = e.getMessage();
            pending = false;
        } finally {
            buf.release();
        }
        return new Decoded(requests, inline, error, pending);
    }

    /** Redis's reply to PING or ECHO as rendered by {@link ReplyStreams#render}, or null for any other command. */
    private static String expectedReply(List<byte[]> args) {
        String name = new String(args.get(0), StandardCharsets.ISO_8859_1);
        if (name.equalsIgnoreCase("PING") && args.size() == 1) {
            return "S(PONG)";
        }
        if ((name.equalsIgnoreCase("PING") || name.equalsIgnoreCase("ECHO")) && args.size() == 2) {
            return "B(" + ReplyStreams.hex(args.get(1)) + ")";
        }
        return null;
    }

    private static boolean isProtocolError(RespReply v) {
        return v instanceof RespReply.Error e && e.message().startsWith("ERR Protocol error");
    }

    /** Redis's replies, and whether the connection ended with a reset rather than a close. */
    record RedisOutcome(List<RespReply> replies, boolean reset) {}

    /**
     * Writes the stream (from another thread, while reading), half-closes, and parses every reply
     * until Redis closes the connection. Redis closes after a protocol error without reading the rest
     * of the input, which TCP turns into a reset that may drop the last replies: that is reported.
     */
    private static RedisOutcome sendToRedis(byte[] stream) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        boolean reset = false;
        try (Socket s = new Socket("127.0.0.1", redis.port())) {
            s.setSoTimeout(10_000);
            Thread writer = Thread.startVirtualThread(() -> {
                try {
                    s.getOutputStream().write(stream);
                    s.shutdownOutput();
                } catch (IOException e) {
                    // Redis closed first (a protocol error)
                }
            });
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    received.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                if (!String.valueOf(e.getMessage()).contains("reset")) {
                    throw e;
                }
                reset = true;
            }
            writer.join(10_000);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("redis-server did not close the connection for " + Printable.bytes(stream, 300), e);
        }
        ByteBuf replies = Unpooled.wrappedBuffer(received.toByteArray());
        ReplyFramer framer = new ReplyFramer(RespLimits.DEFAULT);
        List<RespReply> out = new ArrayList<>();
        try {
            int len;
            while ((len = framer.frame(replies)) > 0) {
                out.add(RespReplyReader.parse(replies.readSlice(len), RespLimits.DEFAULT));
            }
            if (!reset) {
                assertThat(replies.readableBytes()).as("Redis sent whole replies").isZero();
            }
        } finally {
            replies.release();
        }
        return new RedisOutcome(out, reset);
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Provide
    Arbitrary<List<Cmd>> streams() {
        Arbitrary<byte[]> name = Arbitraries.of("PING", "ECHO", "ping", "echo", "Echo")
                .map(s -> s.getBytes(StandardCharsets.US_ASCII));
        Arbitrary<List<byte[]>> args = Combinators.combine(name, RequestStreams.args().list().ofMaxSize(2)).as((n, rest) -> {
            List<byte[]> all = new ArrayList<>(rest.size() + 1);
            all.add(n);
            all.addAll(rest);
            return all;
        });
        Arbitrary<Form> form = Arbitraries.frequency(net.jqwik.api.Tuple.of(3, Form.RESP), net.jqwik.api.Tuple.of(1, Form.INLINE_CRLF),
                net.jqwik.api.Tuple.of(1, Form.INLINE_LF));
        return Combinators.combine(args, form).as(Cmd::new).list().ofMinSize(1).ofMaxSize(8);
    }

}
