package io.undermoon.proxy;

import io.undermoon.proxy.backend.LoopStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters for INFO and the metrics endpoint. Per-command counters live in each event loop's
 * {@link LoopStats} (no shared cache line on the hot path) and are summed when read.
 */
public final class ProxyStats {
    public final AtomicLong connectedClients = new AtomicLong();
    public final LongAdder totalConnections = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final long startMillis = System.currentTimeMillis();
    private final List<LoopStats> loops = new CopyOnWriteArrayList<>();

    public void register(LoopStats loop) {
        loops.add(loop);
    }

    public long commands() {
        long n = 0;
        for (LoopStats l : loops) {
            n += l.commands;
        }
        return n;
    }

    public long forwarded() {
        long n = 0;
        for (LoopStats l : loops) {
            n += l.forwarded;
        }
        return n;
    }

    public long moved() {
        long n = 0;
        for (LoopStats l : loops) {
            n += l.moved;
        }
        return n;
    }
}
