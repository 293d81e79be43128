package io.undermoon.bench.system;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import redis.clients.jedis.JedisCluster;

/**
 * Client load for the migration benchmark: threads doing GET and SET (alternately) on random keys
 * of the loaded set through a cluster client, counting completed operations per second.
 */
final class Throughput implements AutoCloseable {
    private static final int SECONDS = 3600;
    /** Latency buckets per second: four per octave of microseconds, up to 2^16 µs (65 ms) and above. */
    private static final int BUCKETS = 68;
    private final AtomicLongArray perSecond = new AtomicLongArray(SECONDS);
    private final AtomicLongArray latency = new AtomicLongArray(SECONDS * BUCKETS);
    private final AtomicLong errors = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    private final long startMillis = System.currentTimeMillis();

    Throughput(Supplier<JedisCluster> clients, int threadCount, long keys, int valueSize) {
        this(clients, threadCount, keys, valueSize, 0);
    }

    /**
     * @param rate at most this many operations per second in all (0: as fast as the threads go): a
     *     light load, which keeps its pace whatever the latency as long as the latency allows it
     */
    Throughput(Supplier<JedisCluster> clients, int threadCount, long keys, int valueSize, long rate) {
        long periodNanos = rate <= 0 ? 0 : 1_000_000_000L * threadCount / rate;
        byte[] value = new byte[valueSize];
        java.util.Arrays.fill(value, (byte) 'y');
        for (int t = 0; t < threadCount; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().start(() -> {
                Random rnd = new Random(id);
                try (JedisCluster jc = clients.get()) {
                    long next = System.nanoTime();
                    for (long n = 0; !stop.get(); n++) {
                        if (periodNanos > 0) {
                            next += periodNanos;
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                        }
                        byte[] k = KeyLoader.key((long) (rnd.nextDouble() * keys)).getBytes();
                        long t0 = System.nanoTime();
                        try {
                            if ((n & 1) == 0) {
                                jc.get(k);
                            } else {
                                jc.set(k, value);
                            }
                            int sec = (int) ((System.currentTimeMillis() - startMillis) / 1000);
                            if (sec < SECONDS) {
                                perSecond.incrementAndGet(sec);
                                latency.incrementAndGet(sec * BUCKETS + bucket((System.nanoTime() - t0) / 1000));
                            }
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                    }
                }
            }));
        }
    }

    long elapsedMillis() {
        return System.currentTimeMillis() - startMillis;
    }

    /** Average operations per second over [fromMillis, toMillis) since start, in whole seconds. */
    double rate(long fromMillis, long toMillis) {
        int from = (int) Math.ceil(fromMillis / 1000.0);
        int to = (int) (toMillis / 1000);
        if (to <= from) {
            return Double.NaN;
        }
        long sum = 0;
        for (int s = from; s < to; s++) {
            sum += perSecond.get(s);
        }
        return (double) sum / (to - from);
    }

    private static int bucket(long micros) {
        if (micros < 1) {
            return 0;
        }
        double octaves = Math.log(micros) / Math.log(2);
        return (int) Math.min(BUCKETS - 1, Math.floor(octaves * 4));
    }

    /** The upper bound in µs of a bucket. */
    private static double bucketMicros(int b) {
        return Math.pow(2, (b + 1) / 4.0);
    }

    /**
     * Latency percentiles (µs, the upper bound of a bucket of a fourth of an octave) of the
     * operations completed in [fromMillis, toMillis), in whole seconds, as "p50 p90 p99 p99.9".
     */
    String latencyPercentiles(long fromMillis, long toMillis) {
        int from = (int) Math.ceil(fromMillis / 1000.0);
        int to = (int) Math.min(SECONDS, toMillis / 1000);
        long[] sum = new long[BUCKETS];
        long n = 0;
        for (int s = from; s < to; s++) {
            for (int b = 0; b < BUCKETS; b++) {
                long c = latency.get(s * BUCKETS + b);
                sum[b] += c;
                n += c;
            }
        }
        if (n == 0) {
            return "-";
        }
        StringBuilder out = new StringBuilder();
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
            long want = (long) Math.ceil(q * n);
            long seen = 0;
            for (int b = 0; b < BUCKETS; b++) {
                seen += sum[b];
                if (seen >= want) {
                    out.append(out.length() == 0 ? "" : " ").append(String.format("%.0f", bucketMicros(b)));
                    break;
                }
            }
        }
        return out.toString();
    }

    long errors() {
        return errors.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            t.join(30_000);
        }
    }
}
