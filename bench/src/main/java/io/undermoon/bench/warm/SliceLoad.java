package io.undermoon.bench.warm;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import redis.clients.jedis.Jedis;

/**
 * Client load for the warm-start benchmark: threads, each with its own Jedis connection opened when
 * the load starts, doing GET and SET alternately on random keys of 10,000, one command at a time;
 * completed commands are counted per 100 ms since the load started.
 */
final class SliceLoad {
    private static final int SLICE_MILLIS = 100;

    /** Completed commands per 100-ms slice, and the errors. */
    record Result(long[] slices, long errors) {
        double rate(int fromMillis, int toMillis) {
            long sum = 0;
            for (int s = fromMillis / SLICE_MILLIS; s < toMillis / SLICE_MILLIS; s++) {
                sum += slices[s];
            }
            return sum * 1000.0 / (toMillis - fromMillis);
        }

        double perSecond(int second) {
            return rate(second * 1000, (second + 1) * 1000);
        }

        double firstTwoSeconds() {
            return rate(0, 2000);
        }

        double steady() {
            int end = slices.length * SLICE_MILLIS;
            return rate(end - 10_000, end);
        }
    }

    private SliceLoad() {}

    /** Loads 127.0.0.1:{@code port} with {@code clients} threads for {@code seconds}. */
    static Result run(int port, int clients, int seconds) throws InterruptedException {
        int n = seconds * 1000 / SLICE_MILLIS;
        AtomicLongArray slices = new AtomicLongArray(n);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        byte[] value = new byte[100];
        java.util.Arrays.fill(value, (byte) 'w');
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().name("warm-load-" + t).start(() -> {
                Random rnd = new Random(id);
                Jedis j = null;
                for (long i = 0;; i++) {
                    long now = System.nanoTime();
                    if (now >= end) {
                        break;
                    }
                    try {
                        if (j == null) {
                            j = new Jedis("127.0.0.1", port);
                        }
                        byte[] key = ("warm:" + rnd.nextInt(10_000)).getBytes();
                        if ((i & 1) == 0) {
                            j.get(key);
                        } else {
                            j.set(key, value);
                        }
                        int slice = (int) ((System.nanoTime() - start) / 1_000_000 / SLICE_MILLIS);
                        if (slice < n) {
                            slices.incrementAndGet(slice);
                        }
                    } catch (RuntimeException e) {
                        errors.incrementAndGet();
                        if (j != null) {
                            j.close();
                            j = null;
                        }
                    }
                }
                if (j != null) {
                    j.close();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = slices.get(i);
        }
        return new Result(out, errors.get());
    }
}
