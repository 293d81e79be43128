package io.undermoon.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {
    private static final RespLimits SMALL = new RespLimits(100, 1000, 200, 8);

    private static List<List<String>> decodeAll(String input, RespLimits limits) throws RespProtocolException {
        RequestDecoder<Request> d = new RequestDecoder<>(limits, Request::new);
        ByteBuf buf = Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1);
        List<List<String>> out = new ArrayList<>();
        try {
            Request r;
            while ((r = d.decode(buf)) != null) {
                out.add(args(r));
                r.release();
            }
        } finally {
            buf.release();
        }
        return out;
    }

    private static List<String> args(Request r) {
        List<String> a = new ArrayList<>();
        for (int i = 0; i < r.argc(); i++) {
            a.add(new String(r.argBytes(i), StandardCharsets.ISO_8859_1));
        }
        return a;
    }

    @Test
    void decodesArraysAndKeepsTheOriginalBytes() throws Exception {
        ByteBuf buf = Unpooled.copiedBuffer("*2\r\n$3\r\nGET\r\n$1\r\na\r\n*1\r\n$4\r\nPING\r\n", StandardCharsets.US_ASCII);
        RequestDecoder<Request> d = new RequestDecoder<>(RespLimits.DEFAULT, Request::new);
        Request r = d.decode(buf);
        assertThat(args(r)).containsExactly("GET", "a");
        assertThat(r.raw().toString(StandardCharsets.US_ASCII)).isEqualTo("*2\r\n$3\r\nGET\r\n$1\r\na\r\n");
        assertThat(r.argEqualsIgnoreCase(0, "GET".getBytes())).isTrue();
        Request p = d.decode(buf);
        assertThat(args(p)).containsExactly("PING");
        assertThat(d.decode(buf)).isNull();
        r.release();
        p.release();
        buf.release();
        assertThat(buf.refCnt()).isZero();
    }

    @Test
    void inlineCommandsAreReencodedAsResp() throws Exception {
        assertThat(decodeAll("PING\r\nset a \"b c\"\n\r\n  get   'x y' \r\n", RespLimits.DEFAULT))
                .containsExactly(List.of("PING"), List.of("set", "a", "b c"), List.of("get", "x y"));
        assertThat(decodeAll("set k \"\\x41\\n\"\r\n", RespLimits.DEFAULT)).containsExactly(List.of("set", "k", "A\n"));
        assertThatThrownBy(() -> decodeAll("set a \"b\r\n", RespLimits.DEFAULT)).hasMessageContaining("unbalanced quotes");
    }

    @Test
    void emptyArraysAreSkipped() throws Exception {
        assertThat(decodeAll("*0\r\n*-1\r\n*1\r\n$4\r\nPING\r\n", RespLimits.DEFAULT)).containsExactly(List.of("PING"));
    }

    @Test
    void limitsAndMalformedInputAreProtocolErrors() {
        assertThatThrownBy(() -> decodeAll("*101\r\n", SMALL)).hasMessageContaining("invalid multibulk length");
        assertThatThrownBy(() -> decodeAll("*1\r\n$1001\r\n", SMALL)).hasMessageContaining("invalid bulk length");
        assertThatThrownBy(() -> decodeAll("*x\r\n", SMALL)).hasMessageContaining("invalid multibulk length");
        assertThatThrownBy(() -> decodeAll("*1\r\n:1\r\n", SMALL)).hasMessageContaining("expected '$', got ':'");
        assertThatThrownBy(() -> decodeAll("*1\r\n$-1\r\n", SMALL)).hasMessageContaining("invalid bulk length");
        assertThatThrownBy(() -> decodeAll("*1\r\n$3\r\nabcde\r\n", SMALL)).hasMessageContaining("expected CRLF");
        assertThatThrownBy(() -> decodeAll("x".repeat(300), SMALL)).hasMessageContaining("too big inline request");
        assertThatThrownBy(() -> decodeAll("*1" + "1".repeat(300), SMALL)).hasMessageContaining("too big mbulk count");
        assertThatThrownBy(() -> decodeAll("*1\n", SMALL)).hasMessageContaining("CRLF");
    }

    /**
     * Regression (fuzzing, differential against redis-server): the proxy forwards request headers
     * byte for byte, so a number Redis refuses ("04", "+1", "-0", an overflowing one) must be a
     * protocol error here too; before, "*1\r\n$04\r\nPING\r\n" was accepted and forwarded, and Redis
     * closed the shared backend connection. An overflowing count was read as a negative one and the
     * array silently skipped.
     */
    @Test
    void lengthsFollowRedisNumberRules() throws Exception {
        for (String bad : List.of("*01\r\n$4\r\nPING\r\n", "*+1\r\n$4\r\nPING\r\n", "*-0\r\n", "*9999999999999999999\r\n",
                "*18446744073709551617\r\n")) {
            assertThatThrownBy(() -> decodeAll(bad, RespLimits.DEFAULT)).as(bad).hasMessageContaining("invalid multibulk length");
        }
        for (String bad : List.of("*1\r\n$04\r\nPING\r\n", "*1\r\n$+4\r\nPING\r\n", "*1\r\n$-0\r\n\r\n",
                "*1\r\n$9999999999999999999\r\n", "*1\r\n$00\r\n\r\n")) {
            assertThatThrownBy(() -> decodeAll(bad, RespLimits.DEFAULT)).as(bad).hasMessageContaining("invalid bulk length");
        }
        assertThat(decodeAll("*0\r\n*-1\r\n*-10\r\n*1\r\n$0\r\n\r\n*1\r\n$10\r\n0123456789\r\n", RespLimits.DEFAULT))
                .containsExactly(List.of(""), List.of("0123456789"));
    }

    /** Regression (fuzzing, differential against redis-server): inline quoting is Redis's sdssplitargs. */
    @Test
    void inlineQuotingFollowsRedis() throws Exception {
        assertThat(decodeAll("ECHO a\"b c\"\r\n", RespLimits.DEFAULT)).containsExactly(List.of("ECHO", "ab c"));
        assertThat(decodeAll("ECHO x'y z'\n", RespLimits.DEFAULT)).containsExactly(List.of("ECHO", "xy z"));
        assertThat(decodeAll("ECHO a\u000bb\fc\r\n", RespLimits.DEFAULT)).containsExactly(List.of("ECHO", "a\u000bb\fc"));
        assertThat(decodeAll("\u000b\f ECHO\t\"q\"\u000b\r\n", RespLimits.DEFAULT)).containsExactly(List.of("ECHO", "q"));
        assertThatThrownBy(() -> decodeAll("ECHO a\"b\"c\r\n", RespLimits.DEFAULT)).hasMessageContaining("unbalanced quotes");
    }

    /**
     * Regression (fuzzing): the argument table used to be allocated for the declared count, 8 MiB for
     * a bare "*1048576" header; it now grows with the arguments that arrive.
     */
    @Test
    void aHugeDeclaredArrayCostsNothingUntilItsArgumentsArrive() throws Exception {
        RequestDecoder<Request> d = new RequestDecoder<>(RespLimits.DEFAULT, Request::new);
        ByteBuf header = Unpooled.copiedBuffer("*1048576\r\n$3\r\nabc\r\n", StandardCharsets.US_ASCII);
        try {
            long allocated = io.undermoon.testsupport.fuzz.Allocation.measure(() -> d.decode(header));
            assertThat(allocated).isLessThan(64 * 1024);
        } finally {
            header.release();
        }
        StringBuilder many = new StringBuilder("*200\r\n");
        for (int i = 0; i < 200; i++) {
            many.append("$").append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
        }
        List<List<String>> out = decodeAll(many.toString(), RespLimits.DEFAULT);
        assertThat(out).hasSize(1);
        assertThat(out.get(0)).hasSize(200).startsWith("0", "1").endsWith("199");
    }

    /** Regression (config fuzzing): limits whose offsets overflow an int are refused up front. */
    @Test
    void limitsBeyondWhatABufferHoldsAreRefused() {
        assertThatThrownBy(() -> new RespLimits(1, 4294967296L, 64, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RespLimits(Integer.MAX_VALUE, 1, 64, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RespLimits(1, 1, Integer.MAX_VALUE, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new RespLimits(RespLimits.MAX_LENGTH, RespLimits.MAX_BULK_LENGTH, RespLimits.MAX_LENGTH, 8).maxBulkLength())
                .isEqualTo(Integer.MAX_VALUE - 16);
    }

    @Test
    void incompleteInputWaitsForMore() throws Exception {
        assertThat(decodeAll("*2\r\n$3\r\nGET\r\n$1\r\n", RespLimits.DEFAULT)).isEmpty();
        assertThat(decodeAll("*2\r\n$3\r\nGET\r\n$10\r\nabc", RespLimits.DEFAULT)).isEmpty();
        assertThat(decodeAll("PIN", RespLimits.DEFAULT)).isEmpty();
    }

    // ---- properties ----------------------------------------------------------------------

    @Provide
    Arbitrary<List<List<byte[]>>> commands() {
        Arbitrary<byte[]> arg = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        return arg.list().ofMinSize(1).ofMaxSize(6).list().ofMinSize(1).ofMaxSize(20);
    }

    private static byte[] encode(List<List<byte[]>> cmds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (List<byte[]> c : cmds) {
            out.writeBytes(("*" + c.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (byte[] a : c) {
                out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(a);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    @Property(tries = 300)
    void anySplitOfAValidStreamYieldsTheSameCommands(@ForAll("commands") List<List<byte[]>> cmds,
            @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 64) Integer> chunkSizes) throws Exception {
        byte[] stream = encode(cmds);
        Feeder feeder = new Feeder();
        RequestDecoder<Request> d = new RequestDecoder<>(RespLimits.DEFAULT, Request::new);
        List<Request> decoded = new ArrayList<>();
        int off = 0;
        int k = 0;
        while (off < stream.length) {
            int n = chunkSizes.isEmpty() ? stream.length : Math.min(chunkSizes.get(k++ % chunkSizes.size()), stream.length - off);
            byte[] chunk = new byte[n];
            System.arraycopy(stream, off, chunk, 0, n);
            off += n;
            ByteBuf cum = feeder.append(chunk);
            Request r;
            while ((r = d.decode(cum)) != null) {
                decoded.add(r);
            }
        }
        assertThat(decoded).hasSize(cmds.size());
        for (int i = 0; i < cmds.size(); i++) {
            Request r = decoded.get(i);
            assertThat(r.argc()).isEqualTo(cmds.get(i).size());
            for (int j = 0; j < r.argc(); j++) {
                assertThat(r.argBytes(j)).isEqualTo(cmds.get(i).get(j));
            }
            r.release();
        }
        feeder.close();
        assertThat(d.inProgress()).isFalse();
        assertThat(feeder.allReleased()).isTrue();
    }

    @Property(tries = 2000)
    void garbageNeverCrashesOrLeaks(@ForAll @Size(max = 400) byte[] garbage,
            @ForAll @IntRange(min = 1, max = 50) int chunk) {
        Feeder feeder = new Feeder();
        RequestDecoder<Request> d = new RequestDecoder<>(SMALL, Request::new);
        try {
            for (int off = 0; off < garbage.length; off += chunk) {
                int n = Math.min(chunk, garbage.length - off);
                byte[] part = new byte[n];
                System.arraycopy(garbage, off, part, 0, n);
                ByteBuf cum = feeder.append(part);
                Request r;
                while ((r = d.decode(cum)) != null) {
                    assertThat(r.argc()).isBetween(1, SMALL.maxArrayLength());
                    r.release();
                }
            }
        } catch (RespProtocolException e) {
            assertThat(e.getMessage()).isNotBlank();
        } finally {
            feeder.close();
        }
        assertThat(feeder.allReleased()).isTrue();
    }

    /** The one-pass reading of a length line takes only the usual form, with the value the general path gives. */
    @Test
    void theOnePassLengthLineAgreesWithTheGeneralPath() {
        String[] accepted = {"0\r\n", "3\r\n", "10\r\n", "123456789\r\n", "7\r\n$3"};
        for (String line : accepted) {
            ByteBuf b = Unpooled.copiedBuffer("$" + line, StandardCharsets.ISO_8859_1);
            long fast = RequestDecoder.countLine(b, 1);
            int lf = b.indexOf(1, b.writerIndex(), (byte) '\n');
            assertThat(fast).as(line).isNotNegative();
            assertThat((int) fast).as(line).isEqualTo(lf);
            assertThat(fast >>> 32).as(line).isEqualTo(RequestDecoder.parseNumber(b, 1, lf - 1));
            b.release();
        }
        String[] general = {"", "3", "3\r", "3\n", "03\r\n", "-1\r\n", "+3\r\n", "1234567890\r\n", "3 \r\n", "\r\n", "x\r\n"};
        for (String line : general) {
            ByteBuf b = Unpooled.copiedBuffer("$" + line, StandardCharsets.ISO_8859_1);
            assertThat(RequestDecoder.countLine(b, 1)).as(line).isEqualTo(-1);
            b.release();
        }
    }

    @Test
    void lengthsOfTenDigitsAndLeadingZerosStillGoThroughTheGeneralPath() throws Exception {
        assertThat(decodeAll("*1\r\n$1\r\na\r\n", SMALL)).containsExactly(List.of("a"));
        assertThatThrownBy(() -> decodeAll("*1\r\n$1\r\na\r\n*01\r\n", SMALL)).isInstanceOf(RespProtocolException.class)
                .hasMessageContaining("invalid multibulk length");
        assertThatThrownBy(() -> decodeAll("*1\r\n$01\r\na\r\n", SMALL)).isInstanceOf(RespProtocolException.class)
                .hasMessageContaining("invalid bulk length");
        assertThatThrownBy(() -> decodeAll("*1\r\n$1234567890\r\n", SMALL)).isInstanceOf(RespProtocolException.class)
                .hasMessageContaining("exceed the limit");
    }
}
