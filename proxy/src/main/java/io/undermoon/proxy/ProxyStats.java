package io.undermoon.proxy;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters for INFO and the metrics endpoint. Increments are contention-free. */
public final class ProxyStats {
    public final AtomicLong connectedClients = new AtomicLong();
    public final LongAdder totalConnections = new LongAdder();
    public final LongAdder commands = new LongAdder();
    public final LongAdder forwarded = new LongAdder();
    public final LongAdder moved = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final long startMillis = System.currentTimeMillis();
}
