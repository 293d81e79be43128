package io.undermoon.bench.system;

import io.undermoon.testkit.ClusterProbe;
import io.undermoon.local.LocalCluster;
import io.undermoon.process.Repository;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * High availability without a human, timed: a local system on a 3-member etcd cluster with 3 brokers
 * and one coordinator given every broker address. Each run kills the broker first in the
 * coordinator's list (the one it uses first) and, right after, a master proxy of the cluster; with
 * {@code machine} the kill also takes an etcd member and the proxy's two Redis (a machine that held
 * all four). Measured from the proxy kill: until a live broker lists the failover (the victim left
 * the cluster), and until every slot is writable again.
 *
 *   java ... io.undermoon.bench.system.BrokerLossBench [runs] [broker|machine]
 */
public final class BrokerLossBench {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String kind = args.length > 1 ? args[1] : "broker";
        if (!kind.equals("broker") && !kind.equals("machine")) {
            throw new IllegalArgumentException("kind must be broker or machine, not " + kind);
        }
        Path root = Repository.root();
        List<Long> committed = new ArrayList<>();
        List<Long> writable = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            try (LocalCluster lc = LocalCluster.builder().proxies(6).hosts(2).etcd(3).brokers(3)
                    .runtime(LocalCluster.Runtime.ofRepository(root)).start()) {
                lc.createCluster("mycluster", 4);
                lc.awaitServing("mycluster", 4, Duration.ofSeconds(120));
                Thread.sleep(2000);
                LocalCluster.ProxyNode victim = lc.servingProxies("mycluster").get(run % 2);
                lc.brokers().get(0).kill();
                if (kind.equals("machine")) {
                    lc.etcd().member(0).kill();
                }
                long t0 = System.nanoTime();
                if (kind.equals("machine")) {
                    victim.killWithRedis();
                } else {
                    victim.process().kill();
                }
                String survivor = lc.brokerAddresses().get(1);
                lc.await("the failover committed", Duration.ofSeconds(120), () -> {
                    try {
                        return !lc.http(survivor, "GET", "/api/v3/clusters/meta/mycluster", null).body()
                                .contains(victim.address());
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                long c = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                lc.await("all slots writable", Duration.ofSeconds(120), () -> ClusterProbe.allSlotsWritable(lc, 500, 2));
                long w = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                committed.add(c);
                writable.add(w);
                System.out.printf("run %d: %s loss -> failover committed in %d ms, all slots writable in %d ms%n", run, kind, c, w);
            }
        }
        System.out.printf("%n%s loss (kill -9 of the coordinator's first broker%s), then a master proxy, %d runs:%n"
                        + "  failover committed: median %d ms, max %d ms%n  all slots writable: median %d ms, max %d ms%n",
                kind, kind.equals("machine") ? ", an etcd member, the proxy's Redis" : "", runs,
                BenchStats.median(committed), committed.stream().mapToLong(Long::longValue).max().orElse(0),
                BenchStats.median(writable), writable.stream().mapToLong(Long::longValue).max().orElse(0));
    }
}
