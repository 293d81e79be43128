package io.undermoon.bench.broker;

import io.undermoon.local.BrokerHttp;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.process.EtcdCluster;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The broker at scale: registers {@code --proxies} proxies on {@code --hosts} hosts, creates
 * {@code --clusters} clusters of {@code --cluster-nodes} nodes, and measures the latency of
 * create cluster, GET cluster meta and GET proxy meta as a client sees it (HTTP/1.1 keep-alive,
 * one request at a time, a broker in the same JVM on 127.0.0.1). Prints a Markdown table.
 *
 * <p>{@code --meta-file true} makes every change write the meta file (fsync + rename) before it is
 * published, as production does with {@code auto_update_meta_file}. {@code --store etcd} keeps the
 * store in a real 3-member etcd cluster on loopback instead (every change one etcd transaction).
 */
public final class BrokerScaleBench {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final BrokerHttp http = new BrokerHttp(Duration.ofSeconds(5));
    private final String address;

    private BrokerScaleBench(String address) {
        this.address = address;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>(Map.of("proxies", "1000", "hosts", "50", "clusters", "200", "cluster-nodes", "8",
                "samples", "20000", "meta-file", "false", "seed", "1", "store", "memory"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int proxies = Integer.parseInt(opts.get("proxies"));
        int hosts = Integer.parseInt(opts.get("hosts"));
        int clusters = Integer.parseInt(opts.get("clusters"));
        int clusterNodes = Integer.parseInt(opts.get("cluster-nodes"));
        int samples = Integer.parseInt(opts.get("samples"));
        boolean metaFile = Boolean.parseBoolean(opts.get("meta-file"));
        Random random = new Random(Long.parseLong(opts.get("seed")));

        Map<String, Object> cfg = new HashMap<>(Map.of("address", "127.0.0.1:0"));
        Path dir = Files.createTempDirectory("broker-bench");
        if (metaFile) {
            cfg.put("auto_update_meta_file", true);
            cfg.put("meta_filename", dir.resolve("metadata").toString());
        }
        boolean etcdStore = opts.get("store").equals("etcd");
        if (!etcdStore && !opts.get("store").equals("memory")) {
            throw new IllegalArgumentException("--store must be memory or etcd");
        }
        try (EtcdCluster etcd = etcdStore ? EtcdCluster.start(3) : null;
             MemBroker broker = MemBroker.start(BrokerConfig.from(ConfigSource.of(withEtcd(cfg, etcd))))) {
            BrokerScaleBench b = new BrokerScaleBench(broker.address());
            List<String> addresses = new ArrayList<>();
            for (int i = 0; i < proxies; i++) {
                int host = i % hosts;
                String ip = "10." + (host / 250) + "." + (host % 250) + "." + (1 + i / hosts % 250);
                String p = ip + ":" + (6000 + i / hosts / 250);
                addresses.add(p);
                b.expect(200, b.send("POST", "/proxies/meta", BrokerHttp.json(Map.of("proxy_address", p,
                        "nodes", List.of(ip + ":7000", ip + ":7001"), "host", "host" + host))));
            }
            long[] fill = new long[clusters];
            for (int c = 0; c < clusters; c++) {
                long t = System.nanoTime();
                b.expect(200, b.send("POST", "/clusters/meta/cluster" + c, BrokerHttp.json(Map.of("node_number", clusterNodes))));
                fill[c] = System.nanoTime() - t;
            }
            // at full size: create a 4-node cluster on the spare proxies and delete it again
            int rounds = Math.min(samples / 20, 1000);
            long[] createFull = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                long t = System.nanoTime();
                b.expect(200, b.send("POST", "/clusters/meta/extra", BrokerHttp.json(Map.of("node_number", 4))));
                createFull[i] = System.nanoTime() - t;
                b.expect(200, b.send("DELETE", "/clusters/meta/extra", null));
            }
            long[] clusterMeta = b.measure(samples, () -> "/clusters/meta/cluster" + random.nextInt(clusters));
            long[] proxyMeta = b.measure(samples, () -> "/proxies/meta/" + addresses.get(random.nextInt(addresses.size())));
            String metaBytes = String.valueOf(b.send("GET", "/metadata", null).body().length());
            // a Prometheus scrape of the broker and the dashboard's overview at full size
            int scrapes = Math.min(Math.max(samples / 20, 50), 1000);
            long[] scrape = b.measure(scrapes, () -> "/metrics", broker.address());
            String scrapeBytes = String.valueOf(b.root(broker.address(), "/metrics").body().length());
            long[] overview = b.measure(scrapes, () -> "/ui/api/overview", broker.address());

            System.out.printf(Locale.ROOT, "%d proxies on %d hosts, %d clusters x %d nodes, store %s, meta file %s, store JSON %s bytes%n%n",
                    proxies, hosts, clusters, clusterNodes, etcdStore ? "etcd (3 members)" : "memory",
                    metaFile ? "written on every change (fsync)" : "off", metaBytes);
            System.out.println("| operation | samples | p50 (ms) | p99 (ms) | p99.9 (ms) | max (ms) |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
            row("create cluster (" + clusterNodes + " nodes), 0 -> " + clusters + " clusters", fill);
            row("create cluster (4 nodes) at " + clusters + " clusters", createFull);
            row("GET /clusters/meta/<name>", clusterMeta);
            row("GET /proxies/meta/<address>", proxyMeta);
            row("GET /metrics (Prometheus scrape, " + scrapeBytes + " bytes)", scrape);
            row("GET /ui/api/overview (dashboard)", overview);
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Map<String, Object> withEtcd(Map<String, Object> cfg, EtcdCluster etcd) {
        if (etcd != null) {
            cfg.put("storage_type", "etcd");
            cfg.put("etcd_endpoints", etcd.endpointList());
        }
        return cfg;
    }

    /** GETs outside /api/v3 ({@code /metrics}, {@code /ui/...}) on the broker at {@code address}. */
    private long[] measure(int samples, java.util.function.Supplier<String> path, String address) throws Exception {
        for (int i = 0; i < samples; i++) { // warm-up (JIT)
            expect(200, root(address, path.get()));
        }
        long[] out = new long[samples];
        for (int i = 0; i < samples; i++) {
            String p = path.get();
            long t = System.nanoTime();
            HttpResponse<String> r = root(address, p);
            out[i] = System.nanoTime() - t;
            expect(200, r);
        }
        return out;
    }

    private HttpResponse<String> root(String address, String path) throws Exception {
        return http.send(address, "GET", path, null, TIMEOUT);
    }

    private long[] measure(int samples, java.util.function.Supplier<String> path) throws Exception {
        for (int i = 0; i < Math.min(samples, 20000); i++) { // warm-up (JIT)
            expect(200, send("GET", path.get(), null));
        }
        long[] out = new long[samples];
        for (int i = 0; i < samples; i++) {
            String p = path.get();
            long t = System.nanoTime();
            HttpResponse<String> r = send("GET", p, null);
            out[i] = System.nanoTime() - t;
            expect(200, r);
        }
        return out;
    }

    private static void row(String name, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f |%n", name, s.length, ms(s, 0.50), ms(s, 0.99),
                ms(s, 0.999), s[s.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    private HttpResponse<String> send(String method, String path, String body) {
        return http.send(address, method, "/api/v3" + path, body, TIMEOUT);
    }

    private void expect(int status, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " answered " + r.statusCode() + " " + r.body());
        }
    }
}
