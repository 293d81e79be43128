package io.undermoon.proxy.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ZstdCodecTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final long LIMIT = 1 << 20;

    static byte[] json(int size) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; sb.length() < size - 40; i++) {
            sb.append("{\"id\":").append(i).append(",\"name\":\"user").append(i % 7).append("\",\"ok\":true},");
        }
        sb.setLength(sb.length() - 1);
        sb.append(']');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The codec's result as bytes (released), or null. */
    private static byte[] bytes(ByteBuf b) {
        if (b == null) {
            return null;
        }
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static byte[] compress(byte[] value, boolean direct) {
        ByteBuf src = direct ? ALLOC.directBuffer().writeBytes(value) : Unpooled.wrappedBuffer(value);
        try {
            return bytes(new ZstdCodec().compress(src, 0, value.length, ALLOC));
        } finally {
            src.release();
        }
    }

    private static byte[] decompress(byte[] stored, long limit) throws ZstdCodec.TooLargeException {
        // at an offset inside a larger buffer, as a value inside a reply
        ByteBuf src = ALLOC.directBuffer().writeBytes(new byte[] {'$', '9'}).writeBytes(stored).writeByte('\r');
        try {
            return bytes(new ZstdCodec().decompress(src, 2, stored.length, ALLOC, limit));
        } finally {
            src.release();
        }
    }

    @Test
    void compressibleValuesRoundTripAsStandardLevel1Frames() throws Exception {
        byte[] value = json(1024);
        for (boolean direct : new boolean[] {true, false}) {
            byte[] frame = compress(value, direct);
            assertThat(frame).isNotNull().hasSizeLessThan(value.length / 2);
            assertThat(Arrays.copyOf(frame, 4)).containsExactly(0x28, 0xB5, 0x2F, 0xFD);
            assertThat(frame).isEqualTo(Zstd.compress(value, 1)); // what the plain API writes at level 1
            assertThat(Zstd.decompress(frame, value.length)).isEqualTo(value);
            assertThat(decompress(frame, LIMIT)).isEqualTo(value);
        }
    }

    @Test
    void valuesThatDoNotShrinkAreStoredAsSent() {
        byte[] random = new byte[512];
        new Random(7).nextBytes(random);
        assertThat(compress(random, true)).isNull();
        assertThat(compress("12345".getBytes(StandardCharsets.US_ASCII), true)).isNull();
        assertThat(compress(new byte[0], true)).isNull();
    }

    @Test
    void aValueStartingWithTheMagicIsAlwaysCompressedSoItReadsBackAsItself() throws Exception {
        byte[] magicPrefixed = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, 1, 2};
        byte[] frame = compress(magicPrefixed, true);
        assertThat(frame).isNotNull();
        assertThat(decompress(frame, LIMIT)).isEqualTo(magicPrefixed);
        // a value that is itself a frame: stored as a frame of the frame, read back as the frame
        byte[] inner = Zstd.compress(json(300), 1);
        assertThat(decompress(compress(inner, true), LIMIT)).isEqualTo(inner);
    }

    @Test
    void framesOfTheStreamingEncoderWithoutContentSizeDecode() throws Exception {
        byte[] value = json(5000);
        byte[] frame = streamed(value);
        assertThat(Zstd.getFrameContentSize(frame)).isNegative(); // the header does not say the size
        assertThat(decompress(frame, LIMIT)).isEqualTo(value);
        // two frames one after the other decode to both contents
        byte[] two = concat(Zstd.compress("abc".getBytes(StandardCharsets.US_ASCII), 1), streamed(value));
        assertThat(decompress(two, LIMIT)).isEqualTo(concat("abc".getBytes(StandardCharsets.US_ASCII), value));
    }

    static byte[] streamed(byte[] value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out, 1)) {
            z.write(value);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void whatIsNotWholeFramesIsReturnedAsStored() throws Exception {
        byte[] frame = Zstd.compress(json(2000), 1);
        assertThat(decompress("plain value".getBytes(StandardCharsets.US_ASCII), LIMIT)).isNull();
        assertThat(decompress(new byte[] {0x28, (byte) 0xB5, 0x2F}, LIMIT)).isNull(); // shorter than the magic
        byte[] garbage = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD, (byte) 0xFF, (byte) 0xFF, 1, 2, 3};
        assertThat(decompress(garbage, LIMIT)).isNull();
        assertThat(decompress(Arrays.copyOf(frame, frame.length - 1), LIMIT)).as("truncated").isNull();
        assertThat(decompress(Arrays.copyOf(frame, frame.length / 2), LIMIT)).as("half").isNull();
        assertThat(decompress(concat(frame, "x".getBytes(StandardCharsets.US_ASCII)), LIMIT)).as("APPENDed to").isNull();
        byte[] badBlock = frame.clone();
        int blockHeader = 4 + 1 + 2; // magic, descriptor, 2-byte content size (2000 bytes)
        badBlock[blockHeader] |= 0x06; // block type 3: reserved, an invalid frame
        assertThat(decompress(badBlock, LIMIT)).as("reserved block type").isNull();
    }

    @Test
    void aValueLargerThanTheLimitIsRefusedWithoutDecodingItAll() throws Exception {
        byte[] zeros = new byte[1 << 20];
        byte[] sized = Zstd.compress(zeros, 1);
        byte[] unsized = streamed(zeros);
        assertThat(decompress(sized, 1 << 20)).hasSize(1 << 20);
        assertThat(decompress(unsized, 1 << 20)).hasSize(1 << 20);
        assertThatThrownBy(() -> decompress(sized, 1000)).isInstanceOf(ZstdCodec.TooLargeException.class)
                .hasMessageContaining("more than 1000 bytes");
        assertThatThrownBy(() -> decompress(unsized, 1000)).isInstanceOf(ZstdCodec.TooLargeException.class);
    }
}
