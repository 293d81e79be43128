package io.undermoon.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.undermoon.proxy.compress.ZstdCodec;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU cost of value compression per value on an event loop: zstd level 1 of a 1 KiB JSON
 * document through the proxy's codec (direct buffers, reused contexts), and its decompression.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class CompressionBench {
    private final PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private ByteBuf value;
    private ByteBuf frame;

    @Setup(Level.Trial)
    public void setup() {
        Random r = new Random(1);
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; sb.length() < 960; i++) {
            sb.append("{\"id\":").append(100000 + i).append(",\"user\":\"user").append(r.nextInt(5000))
                    .append("\",\"active\":").append(r.nextBoolean()).append(",\"score\":").append(r.nextInt(100000) / 100.0)
                    .append("},");
        }
        sb.setCharAt(sb.length() - 1, ']');
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        value = alloc.directBuffer(json.length).writeBytes(json);
        frame = ZstdCodec.get().compress(value, 0, json.length, alloc);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        value.release();
        frame.release();
    }

    @Benchmark
    public int compress1KiBJson() {
        ByteBuf f = ZstdCodec.get().compress(value, 0, value.readableBytes(), alloc);
        int n = f.readableBytes();
        f.release();
        return n;
    }

    @Benchmark
    public int decompress1KiBJson() throws ZstdCodec.TooLargeException {
        ByteBuf d = ZstdCodec.get().decompress(frame, 0, frame.readableBytes(), alloc, 1 << 20);
        int n = d.readableBytes();
        d.release();
        return n;
    }
}
