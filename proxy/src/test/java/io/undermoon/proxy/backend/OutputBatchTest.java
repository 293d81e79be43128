package io.undermoon.proxy.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Gathering written messages: the bytes and their order are kept, every message is released once. */
class OutputBatchTest {
    private static ByteBuf buf(String s) {
        return Unpooled.directBuffer().writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static List<String> written(EmbeddedChannel ch) {
        List<String> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.add(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return out;
    }

    @Test
    void aLoneMessageIsWrittenAsItIsWithoutACopy() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutputBatch batch = new OutputBatch();
        ByteBuf reply = buf("+OK\r\n");
        batch.add(ch, reply);
        assertThat(ch.outboundMessages()).as("nothing written before writePending").isEmpty();
        batch.writePending(ch);
        ch.flush();
        ByteBuf sent = ch.readOutbound();
        assertThat(sent).isSameAs(reply);
        sent.release();
        assertThat(batch.isEmpty()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void smallMessagesBecomeOneBufferInOrderAndAreReleased() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutputBatch batch = new OutputBatch();
        List<ByteBuf> parts = new ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            String s = "$" + Integer.toString(i).length() + "\r\n" + i + "\r\n";
            expected.append(s);
            ByteBuf b = buf(s);
            parts.add(b);
            batch.add(ch, b);
        }
        batch.writePending(ch);
        ch.flush();
        assertThat(written(ch)).containsExactly(expected.toString());
        assertThat(parts).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        ch.finishAndReleaseAll();
    }

    @Test
    void aLargeMessageIsNotCopiedAndKeepsItsPlaceBetweenSmallOnes() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutputBatch batch = new OutputBatch();
        String big = "x".repeat(OutputBatch.COPY_LIMIT + 1);
        ByteBuf large = buf(big);
        batch.add(ch, buf("a"));
        batch.add(ch, buf("b"));
        batch.add(ch, large);
        batch.add(ch, buf("c"));
        batch.writePending(ch);
        ch.flush();
        List<ByteBuf> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.add(b);
        }
        assertThat(out).hasSize(3);
        assertThat(out.get(1)).as("the large message itself").isSameAs(large);
        assertThat(out.stream().map(x -> x.toString(StandardCharsets.US_ASCII)).toList()).containsExactly("ab", big, "c");
        out.forEach(ByteBuf::release);
        ch.finishAndReleaseAll();
    }

    @Test
    void aFullBatchIsWrittenOutAndANewOneStarted() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutputBatch batch = new OutputBatch();
        String chunk = "y".repeat(1000);
        int n = 2 * OutputBatch.MAX_BATCH / chunk.length() + 3;
        for (int i = 0; i < n; i++) {
            batch.add(ch, buf(chunk));
        }
        batch.writePending(ch);
        ch.flush();
        List<String> out = written(ch);
        assertThat(out).hasSizeGreaterThan(2);
        assertThat(out).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(OutputBatch.MAX_BATCH));
        assertThat(String.join("", out)).isEqualTo(chunk.repeat(n));
        ch.finishAndReleaseAll();
    }

    @Test
    void discardReleasesWhatWasGathered() {
        EmbeddedChannel ch = new EmbeddedChannel();
        OutputBatch batch = new OutputBatch();
        ByteBuf first = buf("first");
        ByteBuf second = buf("second");
        batch.add(ch, first);
        batch.discard();
        assertThat(first.refCnt()).isZero();
        batch.add(ch, buf("a"));
        batch.add(ch, second);
        batch.discard();
        assertThat(second.refCnt()).isZero();
        assertThat(batch.isEmpty()).isTrue();
        assertThat(ch.outboundMessages()).isEmpty();
        ch.finishAndReleaseAll();
    }
}
