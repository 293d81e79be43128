package io.undermoon.proxy;

import io.undermoon.proxy.reply.SlowTrace;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A fixed ring of the slowest sampled commands. One command in {@code sample_rate} is timed (the
 * others cost one counter increment); a timed command slower than the threshold is recorded.
 * Lock-free: writers claim a slot with a counter and publish an immutable entry.
 */
public final class SlowLog {
    private static final DateTimeFormatter RFC3339_NANOS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnnxxx").withZone(ZoneOffset.UTC);

    /** One recorded command. Times are nanoseconds after {@code createdEpochNanos}, 0 for a stage not reached. */
    public record Entry(long sessionId, long createdEpochNanos, long sentToMigrationBackendNanos, long sentToClusterNanos,
            long sentToQueueNanos, long queueReceivedNanos, long sentToBackendNanos, long receivedFromBackendNanos,
            long waitDoneNanos, String command) {}

    private final AtomicReferenceArray<Entry> ring;
    private final AtomicLong written = new AtomicLong();
    private volatile long logSlowerThanMicros;
    private volatile long sampleRate;

    public SlowLog(int length, long logSlowerThanMicros, long sampleRate) {
        this.ring = new AtomicReferenceArray<>(length);
        this.logSlowerThanMicros = logSlowerThanMicros;
        this.sampleRate = Math.max(1, sampleRate);
    }

    /** Records a command known only by its start and end (no stage timestamps). */
    public void record(long sessionId, long startNanos, long endNanos, String command) {
        record(sessionId, new SlowTrace(startNanos, command), endNanos);
    }

    public void record(long sessionId, SlowTrace t, long endNanos) {
        long startNanos = t.created();
        long elapsed = endNanos - startNanos;
        if (elapsed <= thresholdNanos(logSlowerThanMicros)) {
            return;
        }
        long createdEpochNanos = System.currentTimeMillis() * 1_000_000L - (System.nanoTime() - startNanos);
        int i = (int) (written.getAndIncrement() % ring.length());
        ring.set(i, new Entry(sessionId, createdEpochNanos, t.relative(SlowTrace.SENT_TO_MIGRATION_BACKEND),
                t.relative(SlowTrace.SENT_TO_CLUSTER), t.relative(SlowTrace.SENT_TO_QUEUE),
                t.relative(SlowTrace.QUEUE_RECEIVED), t.relative(SlowTrace.SENT_TO_BACKEND),
                t.relative(SlowTrace.RECEIVED_FROM_BACKEND), elapsed, t.text()));
    }

    /** The threshold in nanoseconds, saturated: CONFIG SET accepts any 64-bit value. */
    private static long thresholdNanos(long micros) {
        if (micros > Long.MAX_VALUE / 1000) {
            return Long.MAX_VALUE;
        }
        return micros < Long.MIN_VALUE / 1000 ? Long.MIN_VALUE : micros * 1000;
    }

    public long logSlowerThan() {
        return logSlowerThanMicros;
    }

    public void setLogSlowerThan(long micros) {
        this.logSlowerThanMicros = micros;
    }

    public long sampleRate() {
        return sampleRate;
    }

    public void setSampleRate(long rate) {
        this.sampleRate = Math.max(1, rate);
    }

    /** The first {@code limit} recorded entries in ring order. */
    public List<Entry> get(int limit) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < ring.length() && out.size() < limit; i++) {
            Entry e = ring.get(i);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    public void reset() {
        for (int i = 0; i < ring.length(); i++) {
            ring.set(i, null);
        }
    }

    public static String formatCreated(long epochNanos) {
        return RFC3339_NANOS.format(Instant.ofEpochSecond(epochNanos / 1_000_000_000L, epochNanos % 1_000_000_000L));
    }
}
