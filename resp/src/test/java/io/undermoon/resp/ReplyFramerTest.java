package io.undermoon.resp;

import io.undermoon.resp.client.RespReplyReader;
import io.undermoon.resp.client.RespReply;
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

class ReplyFramerTest {

    private static List<String> frames(String stream) throws RespProtocolException {
        ReplyFramer f = new ReplyFramer(RespLimits.DEFAULT);
        ByteBuf buf = Unpooled.copiedBuffer(stream, StandardCharsets.ISO_8859_1);
        List<String> out = new ArrayList<>();
        try {
            int n;
            while ((n = f.frame(buf)) > 0) {
                out.add(buf.readSlice(n).toString(StandardCharsets.ISO_8859_1));
            }
        } finally {
            buf.release();
        }
        return out;
    }

    @Test
    void framesResp2AndResp3() throws Exception {
        assertThat(frames("+OK\r\n-ERR x\r\n:1\r\n$-1\r\n$0\r\n\r\n*-1\r\n*0\r\n*2\r\n$1\r\na\r\n*1\r\n:2\r\n"))
                .containsExactly("+OK\r\n", "-ERR x\r\n", ":1\r\n", "$-1\r\n", "$0\r\n\r\n", "*-1\r\n", "*0\r\n",
                        "*2\r\n$1\r\na\r\n*1\r\n:2\r\n");
        assertThat(frames("_\r\n#t\r\n,1.5\r\n(123\r\n!3\r\nerr\r\n=7\r\ntxt:abc\r\n%1\r\n+k\r\n:1\r\n~1\r\n+a\r\n>2\r\n+m\r\n+n\r\n|1\r\n+a\r\n+b\r\n:5\r\n"))
                .containsExactly("_\r\n", "#t\r\n", ",1.5\r\n", "(123\r\n", "!3\r\nerr\r\n", "=7\r\ntxt:abc\r\n",
                        "%1\r\n+k\r\n:1\r\n", "~1\r\n+a\r\n", ">2\r\n+m\r\n+n\r\n", "|1\r\n+a\r\n+b\r\n:5\r\n");
        assertThat(frames("+\r\n")).containsExactly("+\r\n");
    }

    @Test
    void malformedRepliesAreErrors() {
        assertThatThrownBy(() -> frames("?x\r\n")).isInstanceOf(RespProtocolException.class);
        assertThatThrownBy(() -> frames("$3\r\nabcd\r\n")).isInstanceOf(RespProtocolException.class);
        assertThatThrownBy(() -> frames("*x\r\n")).isInstanceOf(RespProtocolException.class);
        assertThatThrownBy(() -> frames("%-1\r\n")).isInstanceOf(RespProtocolException.class);
        assertThatThrownBy(() -> frames("*1\r\n".repeat(100))).hasMessageContaining("nested too deeply");
    }

    /**
     * Regression (fuzzing): the value parser is public and must fail cleanly on any input, not only
     * on what the framer accepted: a line without CR, or a bulk length near 2^63, used to throw
     * NegativeArraySizeException, a chain of attributes or arrays could overflow the stack, and a map
     * count near 2^62 overflowed.
     */
    @Test
    void theReplyParserRefusesMalformedInputWithAProtocolError() {
        for (String bad : List.of("\n", "+\n", "\r\n", "$\n", "*1\n:1\r\n", "|0\r\n".repeat(10_000) + ":1\r\n",
                "*1\r\n".repeat(100_000) + ":1\r\n", "%4611686018427387905\r\n", "%4611686018427387904\r\n:1\r\n",
                "%6917529030861029376\r\n", "$5\r\nab\r\n", "$9223372036854775807\r\nab\r\n", "=9223372036854775806\r\n", "*2\r\n:1\r\n", "?\r\n", ":x\r\n")) {
            ByteBuf buf = Unpooled.copiedBuffer(bad, StandardCharsets.ISO_8859_1);
            try {
                assertThatThrownBy(() -> RespReplyReader.parse(buf, RespLimits.DEFAULT)).as(bad.length() > 40 ? bad.substring(0, 40) : bad)
                        .isInstanceOf(RespProtocolException.class);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void parsesValues() throws Exception {
        ByteBuf buf = Unpooled.copiedBuffer("*3\r\n$1\r\na\r\n:5\r\n%1\r\n+k\r\n_\r\n", StandardCharsets.US_ASCII);
        RespReply v = RespReplyReader.parse(buf, RespLimits.DEFAULT);
        buf.release();
        assertThat(v).isInstanceOf(RespReply.Array.class);
        List<RespReply> e = ((RespReply.Array) v).items();
        assertThat(e.get(0)).isEqualTo(RespReply.bulk("a"));
        assertThat(e.get(1)).isEqualTo(new RespReply.Int(5));
        assertThat(((RespReply.Array) e.get(2)).items()).hasSize(2);
        ByteBuf out = Unpooled.buffer();
        RespWriter.value(out, v);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("*3\r\n$1\r\na\r\n:5\r\n*2\r\n+k\r\n$-1\r\n");
        out.release();
    }

    // random reply trees, encoded, split anywhere
    @Provide
    Arbitrary<String> reply() {
        return Arbitraries.recursive(
                () -> Arbitraries.oneOf(
                        Arbitraries.strings().alpha().ofMaxLength(10).map(s -> "+" + s + "\r\n"),
                        Arbitraries.strings().alpha().ofMaxLength(10).map(s -> "-ERR " + s + "\r\n"),
                        Arbitraries.longs().map(l -> ":" + l + "\r\n"),
                        Arbitraries.strings().ofMaxLength(50).map(s -> {
                            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
                            return "$" + b.length + "\r\n" + new String(b, StandardCharsets.ISO_8859_1) + "\r\n";
                        }),
                        Arbitraries.just("$-1\r\n"), Arbitraries.just("*-1\r\n"), Arbitraries.just("_\r\n")),
                inner -> inner.list().ofMaxSize(4).map(l -> "*" + l.size() + "\r\n" + String.join("", l)),
                3);
    }

    @Property(tries = 500)
    void anySplitFramesTheSameReplies(@ForAll @Size(min = 1, max = 10) List<@net.jqwik.api.From("reply") String> replies,
            @ForAll @IntRange(min = 1, max = 40) int chunk) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String r : replies) {
            all.writeBytes(r.getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] stream = all.toByteArray();
        Feeder feeder = new Feeder();
        ReplyFramer f = new ReplyFramer(RespLimits.DEFAULT);
        List<String> got = new ArrayList<>();
        for (int off = 0; off < stream.length; off += chunk) {
            int n = Math.min(chunk, stream.length - off);
            byte[] part = new byte[n];
            System.arraycopy(stream, off, part, 0, n);
            ByteBuf cum = feeder.append(part);
            int len;
            while ((len = f.frame(cum)) > 0) {
                got.add(cum.readSlice(len).toString(StandardCharsets.ISO_8859_1));
            }
        }
        feeder.close();
        assertThat(got).containsExactlyElementsOf(replies);
        assertThat(feeder.allReleased()).isTrue();
    }

    @Property(tries = 2000)
    void garbageNeverCrashes(@ForAll @Size(max = 300) byte[] garbage) {
        ReplyFramer f = new ReplyFramer(new RespLimits(100, 1000, 100, 8));
        ByteBuf buf = Unpooled.wrappedBuffer(garbage);
        try {
            int n;
            while ((n = f.frame(buf)) > 0) {
                buf.skipBytes(n);
            }
        } catch (RespProtocolException e) {
            assertThat(e.getMessage()).isNotBlank();
        } finally {
            buf.release();
        }
    }
}
