package io.undermoon.bench.system;

import io.undermoon.testkit.LocalCluster;
import io.undermoon.testkit.Repository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import redis.clients.jedis.JedisCluster;

/**
 * Time from kill -9 of a proxy (with its two Redis) to every slot writable again, with default
 * settings, over several runs on a fresh local system each; and the acknowledged writes lost.
 *
 *   java ... io.undermoon.bench.system.FailoverBench [runs]
 */
public final class FailoverBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path root = Repository.root();
        List<Long> recoveries = new ArrayList<>();
        long totalAcked = 0;
        long totalLost = 0;
        for (int run = 1; run <= runs; run++) {
            try (LocalCluster lc = LocalCluster.builder().proxies(6).hosts(2)
                    .runtime(LocalCluster.Runtime.ofRepository(root)).start()) {
                lc.createCluster("mycluster", 4);
                lc.awaitServing("mycluster", 4, Duration.ofSeconds(120));
                // a writer keeps writing through the kill; acknowledged keys must survive
                ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
                AtomicBoolean stop = new AtomicBoolean();
                Thread writer = Thread.ofPlatform().start(() -> {
                    try (JedisCluster jc = Probes.client(lc, 500, 2)) {
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
                victim.killWithRedis();
                lc.await("all slots writable", Duration.ofSeconds(120), () -> Probes.allSlotsWritable(lc));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                Thread.sleep(1000);
                stop.set(true);
                writer.join();
                long lost = 0;
                try (JedisCluster jc = Probes.client(lc, 2000, 5)) {
                    for (String k : acked) {
                        if (jc.get(k) == null) {
                            lost++;
                        }
                    }
                }
                recoveries.add(ms);
                totalAcked += acked.size();
                totalLost += lost;
                System.out.printf("run %d: kill -> all slots writable in %d ms; %d acknowledged writes, %d lost%n",
                        run, ms, acked.size(), lost);
            }
        }
        System.out.printf("%nfailover over %d runs: median %d ms, max %d ms, min %d ms; acknowledged writes lost: %d of %d%n",
                runs, Probes.median(recoveries), recoveries.stream().mapToLong(Long::longValue).max().orElse(0),
                recoveries.stream().mapToLong(Long::longValue).min().orElse(0), totalLost, totalAcked);
    }
}
