package io.undermoon.cli;

import io.undermoon.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code undermoon local}: a complete system on this machine, a broker, a coordinator and N proxies
 * each with 2 redis-server processes on simulated hosts, with one cluster created and served.
 */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = "Run a complete local system (broker, coordinator, proxies and Redis) with one cluster; Ctrl-C stops it.")
public final class LocalCommand implements Callable<Integer> {
    @Option(names = "--proxies", defaultValue = "6", description = "server proxies to start (default ${DEFAULT-VALUE})")
    int proxies;

    @Option(names = "--hosts", defaultValue = "2", description = "simulated hosts the proxies are spread over (default ${DEFAULT-VALUE})")
    int hosts;

    @Option(names = "--cluster", defaultValue = "mycluster", description = "name of the cluster to create (default ${DEFAULT-VALUE})")
    String cluster;

    @Option(names = "--nodes", defaultValue = "4", description = "Redis nodes of the cluster, a multiple of 4 (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--data-dir", defaultValue = "local-data", description = "metadata and logs (default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--etcd", description = "keep the metadata in a 3-member etcd cluster (Debian's etcd-server) shared by several brokers")
    boolean etcd;

    @Option(names = "--brokers", description = "brokers to start; with --etcd the default is 3, without it only 1 is possible")
    Integer brokers;

    @Override
    public Integer call() throws Exception {
        if (nodes <= 0 || nodes % 4 != 0 || nodes / 2 > proxies) {
            System.err.println("undermoon local: --nodes must be a positive multiple of 4 and at most 2 x --proxies");
            return 2;
        }
        int brokerCount = brokers != null ? brokers : (etcd ? 3 : 1);
        if (brokerCount < 1 || (brokerCount > 1 && !etcd)) {
            System.err.println("undermoon local: several brokers share their metadata only in etcd: add --etcd");
            return 2;
        }
        Files.createDirectories(dataDir);
        Files.deleteIfExists(dataDir.resolve("metadata")); // every run starts from empty metadata
        System.out.println("starting " + (etcd ? "3 etcd members, " + brokerCount + " brokers" : "a broker") + ", a coordinator, "
                + proxies + " proxies and " + 2 * proxies + " redis-server processes...");
        LocalCluster local = LocalCluster.builder().proxies(proxies).hosts(hosts).dataDir(dataDir.toAbsolutePath())
                .fixedPorts(true).etcd(etcd ? 3 : 0).brokers(brokerCount).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nstopping the local system...");
            local.close();
            stopped.countDown();
        }, "local-shutdown"));
        local.createCluster(cluster, nodes);
        local.awaitServing(cluster, nodes, Duration.ofSeconds(120));
        List<LocalCluster.ProxyNode> serving = local.servingProxies(cluster);
        System.out.println();
        System.out.println("cluster '" + cluster + "' is served by " + serving.size() + " proxies ("
                + nodes + " Redis nodes, all 16384 slots):");
        for (LocalCluster.ProxyNode p : serving) {
            System.out.println("  " + p.address() + " on " + p.host());
        }
        System.out.println();
        System.out.println("connect:   redis-cli -c -p " + serving.get(0).port());
        for (String b : local.brokerAddresses()) {
            System.out.println("broker:    http://" + b + "/api/v3/clusters/meta/" + cluster);
        }
        if (local.etcd() != null) {
            System.out.println("etcd:      " + local.etcd().endpointList() + " (prefix /undermoon)");
        }
        System.out.println("proxies:   " + local.layout());
        System.out.println("logs:      " + local.logDir());
        System.out.println("Ctrl-C stops everything.");
        stopped.await();
        return 0;
    }
}
