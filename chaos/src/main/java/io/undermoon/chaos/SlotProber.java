package io.undermoon.chaos;

import io.undermoon.model.SlotHash;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.JedisCluster;

/**
 * Measures how long parts of a cluster's slot space stay unwritable: one probe key in each of the
 * 64 ranges of 256 slots, written in turn by {@value #THREADS} threads with a cluster client (1 s
 * timeout, 2 attempts). An outage of a probe key lasts from its last successful write before a
 * failure to its next successful write (an upper bound: it includes up to one probe period).
 */
final class SlotProber {
    /** How an outage ended. */
    enum End { RECOVERED, CLUSTER_DELETED, RUN_ENDED }

    /** One outage of one probe key. */
    record Outage(String cluster, int slot, long fromMillis, long toMillis, End end) {
        long millis() {
            return toMillis - fromMillis;
        }
    }

    static final int RANGES = 64;
    private static final int THREADS = 4;
    private static final long PAUSE_MILLIS = 20;
    private static final long RECONNECT_AFTER_FAILING_MILLIS = 5000;

    private final String cluster;
    private final ClusterClients clients;
    private final RunClock clock;
    private final String[] keys = new String[RANGES];
    private final int[] slots = new int[RANGES];
    private final long[] lastSuccess = new long[RANGES];
    private final boolean[] failing = new boolean[RANGES];
    private final List<Outage> outages = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final LongAdder writes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder strays;

    SlotProber(String cluster, ClusterClients clients, RunClock clock, LongAdder strays) {
        this.cluster = cluster;
        this.clients = clients;
        this.clock = clock;
        this.strays = strays;
        for (int i = 0; i < RANGES; i++) {
            slots[i] = i * (SlotHash.SLOT_NUM / RANGES);
            keys[i] = keyFor(cluster, slots[i]);
        }
    }

    /** A key of the given slot, named after the cluster. */
    static String keyFor(String cluster, int slot) {
        for (int i = 0; ; i++) {
            String k = cluster + ":probe:" + i;
            if (SlotHash.slot(k) == slot) {
                return k;
            }
        }
    }

    void start() {
        long now = clock.now();
        synchronized (this) {
            java.util.Arrays.fill(lastSuccess, now);
        }
        for (int t = 0; t < THREADS; t++) {
            int first = t;
            threads.add(Thread.ofPlatform().name("chaos-prober-" + cluster + "-" + t).daemon().start(() -> loop(first)));
        }
    }

    private void loop(int first) {
        long failingSince = -1;
        try (ClusterConnection conn = new ClusterConnection(clients, cluster, 1000, 2, clock, strays)) {
            while (!stop.get()) {
                for (int i = first; i < RANGES && !stop.get(); i += THREADS) {
                    JedisCluster jc = null;
                    try {
                        jc = conn.client();
                    } catch (RuntimeException e) {
                        RunClock.sleep(200);
                    }
                    boolean ok = probe(jc, i);
                    long now = clock.now();
                    if (ok) {
                        failingSince = -1;
                    } else if (failingSince < 0) {
                        failingSince = now;
                    } else if (now - failingSince > RECONNECT_AFTER_FAILING_MILLIS) {
                        conn.reset();
                        failingSince = -1;
                    }
                    RunClock.sleep(PAUSE_MILLIS);
                }
            }
        } catch (RunClock.ChaosInterrupted e) {
            // stopped
        }
    }

    /** One write of probe key {@code i} ({@code jc} null: no client could be made, a failure). */
    private boolean probe(JedisCluster jc, int i) {
        boolean ok;
        try {
            ok = jc != null && "OK".equals(jc.set(keys[i], Long.toString(clock.now())));
        } catch (RuntimeException e) { // JedisException, or a client library failure on a bad reply
            ok = false;
        }
        writes.increment();
        record(i, ok, clock.now());
        return ok;
    }

    private synchronized void record(int i, boolean ok, long now) {
        if (ok) {
            if (failing[i]) {
                outages.add(new Outage(cluster, slots[i], lastSuccess[i], now, End.RECOVERED));
                failing[i] = false;
            }
            lastSuccess[i] = now;
        } else {
            failures.increment();
            failing[i] = true;
        }
    }

    /** Stops the probes; a probe key still failing becomes an outage ending now, the way given. */
    void stop(End end) {
        stop.set(true);
        for (Thread t : threads) {
            t.interrupt();
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long now = clock.now();
        synchronized (this) {
            for (int i = 0; i < RANGES; i++) {
                if (failing[i]) {
                    outages.add(new Outage(cluster, slots[i], lastSuccess[i], now, end));
                    failing[i] = false;
                }
            }
        }
    }

    synchronized List<Outage> outages() {
        return List.copyOf(outages);
    }

    long writes() {
        return writes.sum();
    }

    long failures() {
        return failures.sum();
    }
}
