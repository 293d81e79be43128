package io.undermoon.bench.system;

import io.undermoon.testkit.ClusterProbe;
import io.undermoon.local.LocalCluster;
import io.undermoon.local.LocalClusterBuilder;
import io.undermoon.process.Repository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.JedisCluster;

/**
 * Time from the failure of a proxy (with its two Redis) to every slot writable again, with default
 * settings, over several runs on a fresh local system each; and the acknowledged writes lost.
 * "Writable" is when the first of the probes started every 100 ms ({@link #firstWritable})
 * succeeded.
 * Two kinds of failure: {@code kill} is kill -9 of the three processes (their ports refuse
 * connections at once, as when a process crashes on a live host); {@code freeze} is SIGSTOP of the
 * three (connections are accepted by the kernel but never answered, as when a host hangs or drops
 * off the network), so detection has to wait for its timeouts. Frozen processes are killed after
 * the measurement.
 *
 * <p>With {@code -Dfailover.logs=<dir>} each run keeps its processes' logs in {@code <dir>/run-N/logs}
 * and the wall-clock times of the failure and of the recovery are printed, so the time between can
 * be followed through the coordinator's, the broker's and the proxies' log lines. With
 * {@code -Dfailover.coordinatorEnv=UNDERMOON_PING_TIMEOUT_MS=500,UNDERMOON_PING_ATTEMPTS=3} the
 * coordinator runs with other settings than the defaults (to compare them).
 *
 *   java ... io.undermoon.bench.system.FailoverBench [runs] [kill|freeze]
 */
public final class FailoverBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean freeze = args.length > 1 && args[1].equals("freeze");
        if (args.length > 1 && !freeze && !args[1].equals("kill")) {
            throw new IllegalArgumentException("failure kind must be kill or freeze, not " + args[1]);
        }
        Path root = Repository.root();
        List<Long> recoveries = new ArrayList<>();
        long totalAcked = 0;
        long totalLost = 0;
        String logs = System.getProperty("failover.logs");
        java.time.format.DateTimeFormatter clock = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
        for (int run = 1; run <= runs; run++) {
            LocalClusterBuilder builder = LocalCluster.builder().proxies(6).hosts(2)
                    .runtime(LocalCluster.Runtime.ofRepository(root));
            if (logs != null) {
                builder.dataDir(Path.of(logs, "run-" + run));
            }
            for (String kv : System.getProperty("failover.coordinatorEnv", "").split(",")) {
                if (kv.contains("=")) {
                    builder.coordinatorEnv(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
                }
            }
            try (LocalCluster lc = builder.start()) {
                lc.createCluster("mycluster", 4);
                lc.awaitServing("mycluster", 4, Duration.ofSeconds(120));
                // a writer keeps writing through the kill; acknowledged keys must survive
                ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
                AtomicBoolean stop = new AtomicBoolean();
                Thread writer = Thread.ofPlatform().start(() -> {
                    try (JedisCluster jc = ClusterProbe.client(lc, 500, 2)) {
                        for (long i = 0; !stop.get(); i++) {
                            String k = "w:" + i;
                            try {
                                if ("OK".equals(jc.set(k, "v" + i))) {
                                    acked.add(k);
                                }
                            } catch (RuntimeException e) {
                                // unavailable during the failover: not acknowledged
                            }
                        }
                    }
                });
                Thread.sleep(2000);
                LocalCluster.ProxyNode victim = lc.servingProxies("mycluster").get(run % 2);
                long t0 = System.nanoTime();
                java.time.LocalTime wall0 = java.time.LocalTime.now();
                if (freeze) {
                    signal("STOP", victim.process().pid(), victim.redis1().pid(), victim.redis2().pid());
                } else {
                    victim.killWithRedis();
                }
                long ms = TimeUnit.NANOSECONDS.toMillis(firstWritable(lc, t0) - t0);
                if (logs != null) {
                    System.out.printf("run %d: victim %s (Redis %s, %s); failure at %s, all slots writable at %s; logs in %s%n",
                            run, victim.address(), victim.redis1().address(), victim.redis2().address(), wall0.format(clock),
                            java.time.LocalTime.now().format(clock), lc.logDir());
                }
                Thread.sleep(1000);
                stop.set(true);
                writer.join();
                if (freeze) {
                    victim.killWithRedis();
                }
                long lost = 0;
                try (JedisCluster jc = ClusterProbe.client(lc, 2000, 5)) {
                    for (String k : acked) {
                        if (jc.get(k) == null) {
                            lost++;
                        }
                    }
                }
                recoveries.add(ms);
                totalAcked += acked.size();
                totalLost += lost;
                System.out.printf("run %d: " + (freeze ? "freeze" : "kill") + " -> all slots writable in %d ms; %d acknowledged writes, %d lost%n",
                        run, ms, acked.size(), lost);
            }
        }
        System.out.printf("%n" + (freeze ? "freeze (SIGSTOP)" : "kill -9") + ", failover over %d runs: median %d ms, max %d ms, min %d ms; acknowledged writes lost: %d of %d%n",
                runs, BenchStats.median(recoveries), recoveries.stream().mapToLong(Long::longValue).max().orElse(0),
                recoveries.stream().mapToLong(Long::longValue).min().orElse(0), totalLost, totalAcked);
    }

    /**
     * When every slot became writable: a probe (a fresh cluster client writing a key in every 256th
     * slot) starts every 100 ms, at most 8 at once, each on its own thread, and the answer is the
     * moment the first successful one finished. Probes run side by side because one that started
     * before the recovery can take seconds to fail (timeouts against the failed proxy); waiting for
     * it before starting the next would add its duration to the figure.
     */
    static long firstWritable(LocalCluster lc, long t0) throws InterruptedException {
        java.util.concurrent.atomic.AtomicLong done = new java.util.concurrent.atomic.AtomicLong(-1);
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(8);
        long deadline = t0 + TimeUnit.SECONDS.toNanos(120);
        try (var probes = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            while (done.get() < 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("timed out after 120 s waiting until all slots writable (logs in "
                            + lc.logDir() + ")");
                }
                if (inFlight.tryAcquire()) {
                    probes.submit(() -> {
                        try {
                            if (ClusterProbe.allSlotsWritable(lc, 500, 2)) {
                                done.compareAndSet(-1, System.nanoTime());
                            }
                        } finally {
                            inFlight.release();
                        }
                    });
                }
                Thread.sleep(100);
            }
            probes.shutdownNow();
        }
        return done.get();
    }

    private static void signal(String sig, long... pids) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + sig));
        for (long p : pids) {
            cmd.add(Long.toString(p));
        }
        if (new ProcessBuilder(cmd).inheritIO().start().waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
