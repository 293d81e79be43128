package io.undermoon.proxy.compress;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.undermoon.proxy.reply.ReplyFilter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyDecompressorTest {
    private final ReplyFilter filter = ReplyDecompressor.withLimit(1 << 20);

    private static byte[] bulk(byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("$" + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(value);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Runs the filter on a pooled direct copy of {@code reply}; the result as text, released. */
    private String run(byte[] reply) {
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(reply);
        ByteBuf out = filter.filter(in);
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            assertThat(out.release()).isTrue();
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aCompressedBulkIsDecodedAndEverythingElsePassesAsItIs() {
        byte[] value = ZstdCodecTest.json(1024);
        assertThat(run(bulk(Zstd.compress(value, 1)))).isEqualTo(text(bulk(value)));
        for (String same : new String[] {"$-1\r\n", "+OK\r\n", ":12\r\n", "-ERR wrong type\r\n", "$5\r\nhello\r\n", "$0\r\n\r\n"}) {
            assertThat(run(ascii(same))).isEqualTo(same);
        }
        byte[] corrupt = Zstd.compress(value, 1);
        byte[] truncated = java.util.Arrays.copyOf(corrupt, corrupt.length - 3);
        assertThat(run(bulk(truncated))).as("a corrupt frame is returned as stored").isEqualTo(text(bulk(truncated)));
    }

    @Test
    void mgetArraysDecodeEachCompressedElement() {
        byte[] a = ZstdCodecTest.json(600);
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        reply.writeBytes(ascii("*4\r\n"));
        reply.writeBytes(bulk(Zstd.compress(a, 1)));
        reply.writeBytes(ascii("$-1\r\n"));
        reply.writeBytes(bulk(ascii("plain")));
        reply.writeBytes(bulk(Zstd.compress(ascii("short"), 1)));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(ascii("*4\r\n"));
        expected.writeBytes(bulk(a));
        expected.writeBytes(ascii("$-1\r\n"));
        expected.writeBytes(bulk(ascii("plain")));
        expected.writeBytes(bulk(ascii("short")));
        assertThat(run(reply.toByteArray())).isEqualTo(text(expected.toByteArray()));
        String plain = "*2\r\n$1\r\na\r\n$-1\r\n";
        assertThat(run(ascii(plain))).isEqualTo(plain);
        String mixed = "*2\r\n:1\r\n$1\r\na\r\n"; // not an MGET reply: left alone
        assertThat(run(ascii(mixed))).isEqualTo(mixed);
        assertThat(run(ascii("*0\r\n"))).isEqualTo("*0\r\n");
    }

    @Test
    void aValueBeyondTheLimitGivesAnError() {
        ReplyFilter small = ReplyDecompressor.withLimit(100);
        ByteBuf in = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(bulk(Zstd.compress(new byte[1000], 1)));
        ByteBuf out = small.filter(in);
        try {
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("-ERR the value decompresses to more than 100 bytes\r\n");
        } finally {
            out.release();
        }
        assertThat(in.refCnt()).isZero();
    }
}
