package io.undermoon.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.undermoon.proxy.backend.OutputBatch;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Handing 16 pipelined replies to a client channel and flushing them, as a session does in one
 * event-loop iteration: each reply a retained slice of the backend's receive buffer, written to the
 * channel one by one (the proxy before {@link OutputBatch}) or gathered by an {@link OutputBatch}.
 * The channel is Netty's EmbeddedChannel: its pipeline and outbound buffer are those of a socket
 * channel, the socket write itself is not measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class ReplyWriteBench {
    private static final int BATCH = 16;

    private ByteBuf received;
    private EmbeddedChannel channel;
    private final OutputBatch batch = new OutputBatch();

    @Setup
    public void setup() {
        StringBuilder rep = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            rep.append(i % 2 == 0 ? "$3\r\nbar\r\n" : "+OK\r\n");
        }
        received = ByteBufAllocator.DEFAULT.directBuffer().writeBytes(rep.toString().getBytes(StandardCharsets.US_ASCII));
        channel = new EmbeddedChannel();
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        received.release();
    }

    private ByteBuf nextReply(int i) {
        int len = i % 2 == 0 ? 9 : 5;
        ByteBuf reply = received.retainedSlice(received.readerIndex(), len);
        received.skipBytes(len);
        return reply;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void writeEachReply() {
        received.readerIndex(0);
        for (int i = 0; i < BATCH; i++) {
            channel.write(nextReply(i), channel.voidPromise());
        }
        channel.flush();
        channel.releaseOutbound();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void gatherReplies() {
        received.readerIndex(0);
        for (int i = 0; i < BATCH; i++) {
            batch.add(channel, nextReply(i));
        }
        batch.writePending(channel);
        channel.flush();
        channel.releaseOutbound();
    }
}
