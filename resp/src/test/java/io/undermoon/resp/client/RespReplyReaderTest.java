package io.undermoon.resp.client;

import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespReplyReaderTest {

    private static RespReply parse(String wire) throws IOException {
        return new RespReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)), RespLimits.REPLIES).read();
    }

    /** Hands out one byte per read, the worst fragmentation a socket can produce. */
    private static InputStream trickle(String wire) {
        byte[] data = wire.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            int i;

            @Override
            public int read() {
                return i < data.length ? data[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= data.length) {
                    return -1;
                }
                b[off] = data[i++];
                return 1;
            }
        };
    }

    @Test
    void everyReplyType() throws IOException {
        assertThat(parse("+OK\r\n")).isEqualTo(new RespReply.Simple("OK"));
        assertThat(parse("-ERR_NOT_MY_META\r\n")).isEqualTo(new RespReply.Error("ERR_NOT_MY_META"));
        assertThat(parse(":7799\r\n")).isEqualTo(new RespReply.Int(7799));
        assertThat(parse(":-3\r\n")).isEqualTo(new RespReply.Int(-3));
        assertThat(parse("$5\r\nhe\r\no\r\n")).isEqualTo(RespReply.bulk("he\r\no"));
        assertThat(parse("$0\r\n\r\n")).isEqualTo(RespReply.bulk(""));
        assertThat(parse("$-1\r\n")).isEqualTo(RespReply.NIL);
        assertThat(parse("*-1\r\n")).isEqualTo(RespReply.NIL);
        assertThat(parse("*0\r\n")).isEqualTo(new RespReply.Array(List.of()));
        assertThat(parse("*3\r\n$1\r\na\r\n*2\r\n:1\r\n$-1\r\n+x\r\n")).isEqualTo(new RespReply.Array(List.of(
                RespReply.bulk("a"), new RespReply.Array(List.of(new RespReply.Int(1), RespReply.NIL)), new RespReply.Simple("x"))));
    }

    @Test
    void repliesSplitAcrossReadsAndBackToBack() throws IOException {
        RespReplyReader r = new RespReplyReader(trickle("*2\r\n$3\r\nfoo\r\n:12\r\n+PONG\r\n"), RespLimits.REPLIES);
        assertThat(r.read()).isEqualTo(new RespReply.Array(List.of(RespReply.bulk("foo"), new RespReply.Int(12))));
        assertThat(r.read()).isEqualTo(new RespReply.Simple("PONG"));
        assertThatThrownBy(r::read).isInstanceOf(EOFException.class);
    }

    @Test
    void malformedInputIsAProtocolError() {
        for (String bad : List.of("?x\r\n", ":abc\r\n", "$3\r\nabcd\r\n", "$x\r\n", "*-2\r\n", "$-5\r\n", "+OK\rX", ":\r\n")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(RespProtocolException.class);
        }
        assertThatThrownBy(() -> parse("$10\r\nabc")).isInstanceOf(EOFException.class);
    }

    @Test
    void limitsAreEnforcedBeforeAllocating() {
        RespLimits small = new RespLimits(2, 4, 16, 2);
        assertThatThrownBy(() -> new RespReplyReader(new ByteArrayInputStream("$2147483647\r\n".getBytes()), small).read())
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("bulk");
        assertThatThrownBy(() -> new RespReplyReader(new ByteArrayInputStream("*3\r\n".getBytes()), small).read())
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("array");
        assertThatThrownBy(() -> new RespReplyReader(new ByteArrayInputStream("*1\r\n*1\r\n:1\r\n".getBytes()), small).read())
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("nested");
        assertThatThrownBy(() -> new RespReplyReader(new ByteArrayInputStream(("+" + "x".repeat(40) + "\r\n").getBytes()), small)
                .read()).isInstanceOf(RespProtocolException.class).hasMessageContaining("line");
    }

    @Test
    void commandsAreEncodedAsBulkStringArrays() {
        assertThat(new String(BlockingRespClient.encode("UMCTL", "GETEPOCH"), StandardCharsets.UTF_8))
                .isEqualTo("*2\r\n$5\r\nUMCTL\r\n$8\r\nGETEPOCH\r\n");
        assertThat(new String(BlockingRespClient.encode("SET", "k", ""), StandardCharsets.UTF_8))
                .isEqualTo("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
        assertThat(BlockingRespClient.encode("é")).hasSize("*1\r\n$2\r\n".length() + 2 + 2);
    }

    /**
     * Regression (fuzzing): a declared bulk length used to be allocated at once (64 MiB for
     * "$67108864"), whether or not the bytes ever came; the payload buffer now grows as they arrive.
     */
    @Test
    void aDeclaredBulkCostsNothingUntilItArrives() throws Exception {
        RespReplyReader r = new RespReplyReader(new ByteArrayInputStream("$67108864\r\nabc".getBytes(StandardCharsets.US_ASCII)),
                RespLimits.REPLIES);
        long allocated = io.undermoon.testsupport.fuzz.Allocation.measure(() ->
                assertThatThrownBy(r::read).isInstanceOf(EOFException.class));
        assertThat(allocated).isLessThan(1 << 20);
        byte[] big = new byte[300_000];
        java.util.Arrays.fill(big, (byte) 'q');
        String wire = "$" + big.length + "\r\n" + new String(big, StandardCharsets.US_ASCII) + "\r\n";
        assertThat(new RespReplyReader(trickle(wire), RespLimits.REPLIES).read()).isEqualTo(new RespReply.Bulk(big));
    }
}
