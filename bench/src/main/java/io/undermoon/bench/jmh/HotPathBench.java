package io.undermoon.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.undermoon.proxy.command.CommandSpec;
import io.undermoon.proxy.command.CommandTable;
import io.undermoon.proxy.command.KeyFinder;
import io.undermoon.resp.ReplyFramer;
import io.undermoon.resp.Request;
import io.undermoon.resp.RequestDecoder;
import io.undermoon.resp.RespLimits;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The proxy's per-command CPU work without the network: decode a pipelined batch of 16 commands,
 * look each up in the command table and compute its slot; and frame 16 replies. Run with
 * {@code -prof gc} to see the bytes allocated per command.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled"})
public class HotPathBench {
    private static final int BATCH = 16;

    private ByteBuf requests;
    private ByteBuf replies;
    private RequestDecoder<Request> decoder;
    private ReplyFramer framer;
    private final CommandTable table = CommandTable.get();

    @Setup
    public void setup() {
        StringBuilder req = new StringBuilder();
        StringBuilder rep = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            String key = "key:" + (1000 + i);
            if (i % 2 == 0) {
                req.append("*2\r\n$3\r\nGET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
                rep.append("$3\r\nbar\r\n");
            } else {
                req.append("*3\r\n$3\r\nSET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n$3\r\nbar\r\n");
                rep.append("+OK\r\n");
            }
        }
        requests = Unpooled.directBuffer().writeBytes(req.toString().getBytes(StandardCharsets.US_ASCII));
        replies = Unpooled.directBuffer().writeBytes(rep.toString().getBytes(StandardCharsets.US_ASCII));
        decoder = new RequestDecoder<>(RespLimits.DEFAULT, Request::new);
        framer = new ReplyFramer(RespLimits.DEFAULT);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decodeLookupSlot(Blackhole bh) throws Exception {
        requests.readerIndex(0);
        Request r;
        while ((r = decoder.decode(requests)) != null) {
            CommandSpec spec = table.lookup(r.raw(), r.argOffset(0), r.argLength(0));
            bh.consume(KeyFinder.slot(r, spec));
            r.release();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void frameReplies(Blackhole bh) throws Exception {
        replies.readerIndex(0);
        int n;
        while ((n = framer.frame(replies)) > 0) {
            ByteBuf slice = replies.retainedSlice(replies.readerIndex(), n);
            replies.skipBytes(n);
            bh.consume(slice);
            slice.release();
        }
    }
}
