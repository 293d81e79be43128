package io.undermoon.chaos;

import io.undermoon.model.SlotHash;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisCluster;

/**
 * A client that owns {@code keys} keys of one cluster and, at a steady pace, SETs unique values,
 * DELetes and GETs them with a cluster client, checking every read against its {@link KeyLedger}s.
 * Keys are {@code <cluster>:<client>:k<index>}; a value is {@code <incarnation>/<client>/<index>/<write>},
 * so a value from another key, client or incarnation of the cluster (a deleted and recreated
 * cluster keeps its key names) is recognised as wrong.
 */
final class CheckerClient implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckerClient.class);
    private static final int SOCKET_TIMEOUT_MILLIS = 5000;
    private static final int ATTEMPTS = 3;
    private static final long RECONNECT_AFTER_FAILING_MILLIS = 5000;

    private final String cluster;
    private final String valuePrefix;
    private final String[] keys;
    private final int[] slots;
    private final KeyLedger[] ledgers;
    private final long intervalNanos;
    private final Random rnd;
    private final ClusterClients clients;
    private final RunClock clock;
    private final Findings findings;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final LongAdder ops = new LongAdder();

    CheckerClient(String cluster, String incarnation, String id, int keyCount, int opsPerSecond, long seed,
            ClusterClients clients, RunClock clock, Findings findings) {
        this.cluster = cluster;
        this.valuePrefix = incarnation + "/" + id + "/";
        this.keys = new String[keyCount];
        this.slots = new int[keyCount];
        this.ledgers = new KeyLedger[keyCount];
        for (int k = 0; k < keyCount; k++) {
            keys[k] = cluster + ":" + id + ":k" + k;
            slots[k] = SlotHash.slot(keys[k]);
            ledgers[k] = new KeyLedger();
        }
        this.intervalNanos = 1_000_000_000L / opsPerSecond;
        this.rnd = new Random(seed);
        this.clients = clients;
        this.clock = clock;
        this.findings = findings;
    }

    long ops() {
        return ops.sum();
    }

    void stop() {
        stop.set(true);
    }

    @Override
    public void run() {
        long failingSince = -1;
        long next = System.nanoTime();
        try (ClusterConnection conn = new ClusterConnection(clients, cluster, SOCKET_TIMEOUT_MILLIS, ATTEMPTS, clock,
                findings.strays)) {
            while (!stop.get()) {
                JedisCluster jc;
                try {
                    jc = conn.client();
                } catch (RuntimeException e) {
                    LOG.debug("checker of {} cannot connect yet: {}", cluster, e.toString());
                    RunClock.sleep(500);
                    continue;
                }
                boolean ok = step(jc, rnd.nextInt(keys.length));
                ops.increment();
                long now = clock.now();
                if (ok) {
                    failingSince = -1;
                } else if (failingSince < 0) {
                    failingSince = now;
                } else if (now - failingSince > RECONNECT_AFTER_FAILING_MILLIS) {
                    // every node the client knows may be gone (replaced by failovers): start again from the broker
                    conn.reset();
                    failingSince = -1;
                }
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    RunClock.sleep(wait / 1_000_000);
                } else if (wait < -1_000_000_000L) {
                    next = System.nanoTime(); // fell behind by more than a second: do not burst
                }
            }
        } catch (RunClock.ChaosInterrupted e) {
            // stopped
        }
    }

    /** One operation on key {@code k}; false when the command failed. */
    private boolean step(JedisCluster jc, int k) {
        int op = rnd.nextInt(100);
        KeyLedger ledger = ledgers[k];
        if (op < 50) {
            int n = ledger.beginSet(clock.now());
            try {
                String reply = jc.set(keys[k], valuePrefix + k + "/" + n);
                if ("OK".equals(reply)) {
                    ledger.acknowledge(n, clock.now());
                    findings.setsAcked.increment();
                    return true;
                }
                ledger.doubt(n);
                findings.setsInDoubt.increment();
                return true;
            } catch (RuntimeException e) { // JedisException, or a client library failure on a bad reply
                ledger.doubt(n);
                findings.setsInDoubt.increment();
                findings.error(e);
                return false;
            }
        } else if (op < 90) {
            return read(jc, k);
        } else {
            int n = ledger.beginDelete(clock.now());
            try {
                jc.del(keys[k]);
                ledger.acknowledge(n, clock.now());
                findings.deletesAcked.increment();
                return true;
            } catch (RuntimeException e) { // JedisException, or a client library failure on a bad reply
                ledger.doubt(n);
                findings.deletesInDoubt.increment();
                findings.error(e);
                return false;
            }
        }
    }

    private boolean read(JedisCluster jc, int k) {
        String value;
        try {
            value = jc.get(keys[k]);
        } catch (RuntimeException e) { // JedisException, or a client library failure on a bad reply
            findings.readsFailed.increment();
            findings.error(e);
            return false;
        }
        check(k, value);
        return true;
    }

    private void check(int k, String value) {
        long now = clock.now();
        ReadVerdict v;
        if (value == null) {
            v = ledgers[k].observeAbsent(now);
        } else {
            String prefix = valuePrefix + k + "/";
            int n = -1;
            if (value.startsWith(prefix)) {
                try {
                    n = Integer.parseInt(value.substring(prefix.length()));
                } catch (NumberFormatException e) {
                    n = -1;
                }
            }
            v = n > 0 ? ledgers[k].observeValue(n, now)
                    : new ReadVerdict.Wrong("not a value of this key (expected " + prefix + "<n>)");
        }
        findings.verdict(cluster, keys[k], slots[k], now, value, v);
    }

    /**
     * Writes every key once, without pacing (a ballast data set that migrations and full syncs have
     * to carry; it is read back by {@link #sweep()} only).
     */
    void load() {
        try (JedisCluster jc = clients.connect(cluster, SOCKET_TIMEOUT_MILLIS, ATTEMPTS)) {
            for (int k = 0; k < keys.length; k++) {
                int n = ledgers[k].beginSet(clock.now());
                try {
                    if ("OK".equals(jc.set(keys[k], valuePrefix + k + "/" + n))) {
                        ledgers[k].acknowledge(n, clock.now());
                        findings.setsAcked.increment();
                    } else {
                        ledgers[k].doubt(n);
                        findings.setsInDoubt.increment();
                    }
                } catch (RuntimeException e) { // JedisException, or a client library failure on a bad reply
                    ledgers[k].doubt(n);
                    findings.setsInDoubt.increment();
                    findings.error(e);
                }
                ops.increment();
            }
        }
    }

    /**
     * Reads every key once (after the run stopped this client), with a fresh client; a read that
     * keeps failing is counted, not guessed.
     */
    void sweep() {
        try (JedisCluster jc = clients.connect(cluster, SOCKET_TIMEOUT_MILLIS, ATTEMPTS)) {
            for (int k = 0; k < keys.length; k++) {
                boolean done = false;
                for (int attempt = 0; attempt < 3 && !done; attempt++) {
                    try {
                        String value = jc.get(keys[k]);
                        findings.sweepReads.increment();
                        check(k, value);
                        done = true;
                    } catch (RuntimeException e) { // JedisException, or a client library failure on a bad reply
                        RunClock.sleep(200);
                    }
                }
                if (!done) {
                    findings.sweepFailures.increment();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("final sweep of {} could not connect: {}", cluster, e.toString());
            findings.sweepFailures.add(keys.length);
        }
    }
}
