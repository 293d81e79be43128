package io.undermoon.bench.system;

import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.local.LocalCluster;
import io.undermoon.process.Repository;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Is a proxy under heavy load ever failed over by mistake? A local system with the coordinator's
 * default detection settings, a 4-node cluster, and {@code redis-benchmark --cluster} (50 clients,
 * pipelines of 16, SET and GET) against the cluster's proxies for the whole duration, while this tool
 * times a PING to each serving proxy every 100 ms as the detector does (a pooled connection, no
 * timeout of its own). At the end: the PING latencies, the failure reports the broker received, the
 * failovers it made (the cluster epoch and the failed proxies), and the coordinator's
 * "not answering PING" lines.
 *
 *   java ... io.undermoon.bench.system.DetectionUnderLoad [seconds]
 */
public final class DetectionUnderLoad {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path dir = Files.createTempDirectory("undermoon-detection-load-");
        try (LocalCluster lc = LocalCluster.builder().proxies(6).hosts(2).dataDir(dir)
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root())).start()) {
            lc.createCluster("mycluster", 4);
            lc.awaitServing("mycluster", 4, Duration.ofSeconds(120));
            Thread.sleep(3000);
            List<LocalCluster.ProxyNode> serving = lc.servingProxies("mycluster");
            String epochBefore = clusterEpoch(lc);
            System.out.printf("serving proxies %s; cluster epoch %s; load %s for %d s%n",
                    serving.stream().map(LocalCluster.ProxyNode::address).toList(), epochBefore,
                    "redis-benchmark --cluster -c 50 -P 16 -t set,get", seconds);

            AtomicBoolean stop = new AtomicBoolean();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            List<Thread> pingers = new ArrayList<>();
            for (LocalCluster.ProxyNode p : serving) {
                pingers.add(Thread.ofPlatform().start(() -> ping(p.address(), stop, latencies)));
            }
            List<String> load = new ArrayList<>();
            Process bench = new ProcessBuilder("redis-benchmark", "-h", "127.0.0.1", "-p", Integer.toString(serving.get(0).port()),
                    "--cluster", "-c", "50", "-P", "16", "-n", "1000000000", "-r", "1000000", "-d", "64", "-t", "set,get",
                    "-q", "-l").redirectErrorStream(true).start();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(bench.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        for (String part : line.split("\r")) {
                            if (!part.isBlank()) {
                                synchronized (load) {
                                    load.add(part.strip());
                                }
                            }
                        }
                    }
                } catch (IOException e) {
                    // ended
                }
            });
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            bench.destroy();
            bench.waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);
            stop.set(true);
            for (Thread t : pingers) {
                t.join();
            }
            synchronized (load) {
                List<String> tail = load.subList(Math.max(0, load.size() - 4), load.size());
                System.out.println("redis-benchmark, last lines: " + tail);
            }
            List<Long> sorted = new ArrayList<>(latencies);
            sorted.sort(null);
            long over300 = sorted.stream().filter(l -> l >= 300_000).count();
            System.out.printf("PING to the loaded proxies: %d samples, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms, %d of them >= 300 ms%n",
                    sorted.size(), pct(sorted, 0.5), pct(sorted, 0.99), pct(sorted, 0.999), pct(sorted, 1.0), over300);
            String failures = lc.http("GET", "/api/v3/failures", null).body();
            String failed = lc.http("GET", "/api/v3/proxies/failed/addresses", null).body();
            String epochAfter = clusterEpoch(lc);
            long reports = Files.readAllLines(lc.logDir().resolve("coordinator-1.log")).stream()
                    .filter(l -> l.contains("is not answering PING")).count();
            System.out.printf("after: failures %s, failed proxies %s, cluster epoch %s -> %s, coordinator reports of a proxy not"
                    + " answering PING: %d%n", failures, failed, epochBefore, epochAfter, reports);
            System.out.println(reports == 0 && epochBefore.equals(epochAfter) && failed.contains("[]")
                    ? "no false failover" : "FALSE FAILURE DETECTED");
        }
    }

    private static String clusterEpoch(LocalCluster lc) {
        String body = lc.http("GET", "/api/v3/clusters/meta/mycluster", null).body();
        int i = body.indexOf("\"epoch\":");
        return body.substring(i + 8, body.indexOf(',', i));
    }

    /** PINGs every 100 ms on one connection and records the round trip in microseconds (10 s for a failure). */
    private static void ping(String address, AtomicBoolean stop, List<Long> latencies) {
        BlockingRespClient c = null;
        while (!stop.get()) {
            try {
                if (c == null) {
                    c = BlockingRespClient.connect(address, Duration.ofSeconds(10));
                }
                long t0 = System.nanoTime();
                c.command("PING");
                latencies.add(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - t0));
                Thread.sleep(100);
            } catch (IOException e) {
                latencies.add(10_000_000L);
                if (c != null) {
                    c.close();
                    c = null;
                }
            } catch (InterruptedException e) {
                break;
            }
        }
        if (c != null) {
            c.close();
        }
    }

    private static double pct(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get((int) Math.max(0, Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1))) / 1000.0;
    }
}
