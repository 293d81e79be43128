package io.undermoon.proxy.migration;

import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * What a migration costs the clients, measured: a virtual thread sends {@code PING} to the source
 * and to the destination Redis in turn, every {@link #EVERY_MILLIS} ms, each on a connection of its
 * own, and keeps the round trips. A client's command waits behind whatever those Redis are doing
 * (a MIGRATE of the copy blocks the source until the destination has restored the keys) and for
 * the CPU the copy takes from them on a shared host; the PING waits the same way, at moments that
 * do not follow the copy's steps. {@link #takeHighNanos()} gives the {@link #PERCENTILE}th
 * percentile of the round trips since its last call, for the {@link ScanPacer}.
 */
final class LatencyProbe implements AutoCloseable, LatencySource {
    static final long EVERY_MILLIS = 5;
    static final int PERCENTILE = 90;
    /** A PING unanswered this long counts as this long (and the connection is opened again). */
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final int MAX_SAMPLES = 256;

    private final String[] addresses;
    private final BlockingRespClient[] clients;
    private final long[] samples = new long[MAX_SAMPLES];
    private int count;
    private volatile long commandsToFirst;
    private volatile boolean stopped;
    private Thread thread;

    LatencyProbe(String... addresses) {
        this.addresses = addresses.clone();
        this.clients = new BlockingRespClient[addresses.length];
    }

    void start() {
        thread = Thread.ofVirtual().name("latency-probe").start(this::run);
    }

    private void run() {
        try {
            for (int i = 0; !stopped; i = (i + 1) % addresses.length) {
                long rtt = ping(i);
                if (rtt >= 0) {
                    record(rtt);
                }
                TimeUnit.MILLISECONDS.sleep(EVERY_MILLIS);
            }
        } catch (InterruptedException e) {
            // stopped
        } finally {
            for (int i = 0; i < clients.length; i++) {
                closeClient(i);
            }
        }
    }

    /** One PING's round trip; the timeout when it failed; -1 when no connection could be made. */
    private long ping(int i) {
        try {
            if (clients[i] == null || !clients[i].isOpen()) {
                clients[i] = BlockingRespClient.connect(addresses[i], TIMEOUT);
            }
        } catch (IOException e) {
            closeClient(i);
            return -1; // nothing measured: the window counts as over the target if it stays empty
        }
        if (i == 0) {
            commandsToFirst++; // this thread only writes it
        }
        long t0 = System.nanoTime();
        try {
            RespReply r = clients[i].command("PING");
            long rtt = System.nanoTime() - t0;
            return r instanceof RespReply.Error ? TIMEOUT.toNanos() : rtt;
        } catch (IOException e) {
            closeClient(i);
            return TIMEOUT.toNanos();
        }
    }

    private void closeClient(int i) {
        if (clients[i] != null) {
            clients[i].close();
            clients[i] = null;
        }
    }

    /** Keeps one round trip (tests call it directly). */
    synchronized void record(long nanos) {
        if (count < MAX_SAMPLES) {
            samples[count++] = nanos;
        } else {
            // more than a window's worth: keep the larger values, the percentile is about the tail
            int min = 0;
            for (int j = 1; j < MAX_SAMPLES; j++) {
                if (samples[j] < samples[min]) {
                    min = j;
                }
            }
            samples[min] = Math.max(samples[min], nanos);
        }
    }

    @Override
    public long commandsToFirst() {
        return commandsToFirst;
    }

    /** The {@link #PERCENTILE}th percentile of the round trips since the last call, or -1 if none. */
    @Override
    public synchronized long takeHighNanos() {
        if (count == 0) {
            return -1;
        }
        long[] s = Arrays.copyOf(samples, count);
        Arrays.sort(s);
        int at = (int) Math.ceil(count * PERCENTILE / 100.0) - 1;
        count = 0;
        return s[Math.max(0, at)];
    }

    @Override
    public void close() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
