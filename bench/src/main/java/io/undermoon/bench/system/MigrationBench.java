package io.undermoon.bench.system;

import io.undermoon.local.BrokerHttp;
import io.undermoon.testkit.ClusterProbe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undermoon.local.LocalCluster;
import io.undermoon.local.LocalClusterBuilder;
import io.undermoon.process.RedisProcess;
import io.undermoon.process.Repository;
import io.undermoon.testkit.Resp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;

/**
 * Fast scaling, measured: load keys into a 4-node cluster, scale to 8 with the auto API while
 * clients run, and report time to completion, keys/s and the client throughput before, during and
 * after; then move half of the same data to the empty second node of a 2-node official Redis
 * Cluster with redis-cli --cluster reshard and report its keys/s.
 *
 *   java ... MigrationBench [--keys N] [--value-size B] [--limit L] [--scan-count C] [--scan-interval U] [--clients T]
 *       [--official true|false] [--official-replicas true|false] [--pin true|false] [--shrink true|false]
 *       [--rate OPS] [--latency-target MICROS] [--trace true|false] [--warm-free SECONDS]
 *
 * --official-replicas gives each official master a replica, as ours have (default false: the
 * official cluster of the earlier figures, masters only). --trace prints the keys moved per 100 ms,
 * the CPU by program before and during, and keeps every program's log. --warm-free S first puts the
 * same load for S seconds on the free proxies (through a throwaway cluster), so that the scale-out
 * adds proxies whose JIT has compiled the hot path.
 * --rate caps the clients at OPS operations per second in all (a light load; 0: as fast as they go),
 * --latency-target sets the proxies' migration_latency_target.
 */
public final class MigrationBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new java.util.HashMap<>(Map.of("--keys", "500000", "--value-size", "512", "--limit", "2",
                "--scan-count", "", "--scan-interval", "", "--clients", "8", "--official", "true", "--settle", "10", "--pin", "false",
                "--shrink", "false"));
        o.put("--trace", "false");
        o.put("--official-replicas", "false");
        o.put("--warm-free", "0");
        o.put("--rate", "0");
        o.put("--latency-target", "");
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        long keys = Long.parseLong(o.get("--keys"));
        int valueSize = Integer.parseInt(o.get("--value-size"));
        int clients = Integer.parseInt(o.get("--clients"));
        long settleMillis = Long.parseLong(o.get("--settle")) * 1000;
        System.out.printf("%d keys of %d bytes, %d client threads, migration_limit %s%n", keys, valueSize, clients, o.get("--limit"));

        long rate = Long.parseLong(o.get("--rate"));
        LocalClusterBuilder builder = LocalCluster.builder().proxies(4).hosts(2)
                .brokerEnv("UNDERMOON_MIGRATION_LIMIT", o.get("--limit"))
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root()));
        if (!o.get("--latency-target").isEmpty()) {
            builder.proxyEnv("UNDERMOON_MIGRATION_LATENCY_TARGET", o.get("--latency-target"));
            System.out.println("migration_latency_target " + o.get("--latency-target") + " µs");
        }
        trace = Boolean.parseBoolean(o.get("--trace"));
        if (rate > 0) {
            System.out.printf("client load capped at %d ops/s%n", rate);
        }
        try (LocalCluster lc = builder.start()) {
            lc.createCluster("mycluster", 4);
            lc.awaitServing("mycluster", 4, Duration.ofSeconds(120));
            for (String option : new String[] {"scan-count", "scan-interval"}) {
                String value = o.get("--" + option);
                if (!value.isEmpty()) {
                    String field = "migration_" + option.replace('-', '_');
                    var r = lc.http("PATCH", "/api/v3/clusters/config/mycluster", BrokerHttp.json(Map.of(field, value)));
                    System.out.println(field + " " + value + ": HTTP " + r.statusCode());
                    Thread.sleep(2000);
                }
            }
            if (Boolean.parseBoolean(o.get("--pin"))) {
                pin(lc);
            }
            long warmSeconds = Long.parseLong(o.get("--warm-free"));
            if (warmSeconds > 0) {
                warmFreeProxies(lc, warmSeconds, clients, keys, valueSize);
            }
            LocalCluster.ProxyNode first = lc.servingProxies("mycluster").get(0);
            long t0 = System.nanoTime();
            KeyLoader.load("127.0.0.1", first.port(), keys, valueSize);
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("loaded %d keys through the proxies in %.1f s (%.0f keys/s)%n", keys, loadSeconds, keys / loadSeconds);

            try (Throughput load = new Throughput(() -> ClusterProbe.client(lc, 5000, 10), clients, keys, valueSize, rate)) {
                Thread.sleep(settleMillis + 2000);
                long[] after = scale(lc, load, 4, 8, 2000, load.elapsedMillis(), settleMillis, clients);
                if (Boolean.parseBoolean(o.get("--shrink"))) {
                    // the window after the scale-out is the "before" of the scale-in
                    scale(lc, load, 8, 4, after[0], after[1], settleMillis, clients);
                }
            }
            if (trace) {
                java.nio.file.Path keep = java.nio.file.Files.createTempDirectory("undermoon-migration-logs-");
                try (var files = java.nio.file.Files.list(lc.logDir())) {
                    for (java.nio.file.Path f : files.toList()) {
                        java.nio.file.Files.copy(f, keep.resolve(f.getFileName()));
                    }
                }
                System.out.println("logs of every program kept in " + keep);
            }
            try (JedisCluster jc = ClusterProbe.client(lc, 5000, 10)) {
                long missing = 0;
                for (long i = 0; i < keys; i += 97) {
                    if (jc.get(KeyLoader.key(i)) == null) {
                        missing++;
                    }
                }
                System.out.printf("spot check of every 97th key after scaling: %d missing%n", missing);
            }
        }
        if (Boolean.parseBoolean(o.get("--official"))) {
            officialReplicas = Boolean.parseBoolean(o.get("--official-replicas"));
            official(keys, valueSize, 0, settleMillis, 0);
            if (clients > 0) {
                official(keys, valueSize, clients, settleMillis, rate);
            }
        }
    }

    /**
     * Scales mycluster from {@code from} to {@code to} nodes with the auto API under the running
     * load and prints time, keys moved, and the client throughput in the window [beforeStart,
     * beforeEnd), during, and after (which it waits for); returns the after window.
     */
    private static long[] scale(LocalCluster lc, Throughput load, int from, int to, long beforeStart, long beforeEnd,
            long settleMillis, int clients) throws Exception {
        Map<String, Long> stats0 = stats(lc);
        long movedReplies0 = info(lc, "moved_replies");
        if (trace) {
            Map<String, Long> b0 = cpuMillis();
            long bAt = System.nanoTime();
            Thread.sleep(3000);
            System.out.println(cpuUse("CPU before the migration, 3 s", b0, cpuMillis(), (System.nanoTime() - bAt) / 1e9));
        }
        Map<String, Long> cpu0 = trace ? cpuMillis() : Map.of();
        long migStart = load.elapsedMillis();
        long m0 = System.nanoTime();
        Thread tracer = trace ? Thread.ofPlatform().daemon().start(() -> traceProgress(lc, m0)) : null;
        var auto = lc.http("POST", "/api/v3/clusters/migrations/auto/mycluster/" + to, null);
        long afterAuto = System.nanoTime();
        if (trace) {
            System.out.printf("the auto call returned after %.0f ms%n", (afterAuto - m0) / 1e6);
        }
        if (auto.statusCode() != 200) {
            throw new IllegalStateException("auto-scale failed: HTTP " + auto.statusCode() + " " + auto.body());
        }
        lc.await("the migration to finish", Duration.ofMinutes(30), () -> done(lc, to));
        long m1 = System.nanoTime();
        if (tracer != null) {
            tracer.interrupt();
            tracer.join();
            System.out.println(cpuUse("CPU during the migration", cpu0, cpuMillis(), (System.nanoTime() - m0) / 1e9));
        }
        long migEnd = load.elapsedMillis();
        Thread.sleep(settleMillis + 1000);
        long afterEnd = load.elapsedMillis();
        Map<String, Long> stats1 = stats(lc);
        java.util.function.ToLongFunction<String> delta = name -> stats1.getOrDefault(name, 0L) - stats0.getOrDefault(name, 0L);
        // keys moved by the sources (scan and UMSYNC) and pulled by the destinations for clients (a
        // pull that moved something counts one key: the load here is single-key commands)
        long moved = delta.applyAsLong("migrating_moved_keys") + delta.applyAsLong("importing_pulls_moving_keys");
        double secs = (m1 - m0) / 1e9;
        double scanSecs = (m1 - afterAuto) / 1e9;
        System.out.printf("%nscale %d -> %d: %.1f s from the auto call to all slots committed (%.1f s after it returned), "
                + "%d keys moved: %.0f keys/s (%.0f keys/s after the call returned)%n",
                from, to, secs, scanSecs, moved, moved / secs, moved / scanSecs);
        double before = load.rate(beforeStart, beforeEnd);
        double during = load.rate(migStart, migEnd);
        double after = load.rate(migEnd + 1000, afterEnd);
        System.out.printf("client throughput (GET+SET, %d threads): before %.0f ops/s, during %.0f ops/s (%.2fx), "
                + "after %.0f ops/s (%.2fx); client errors: %d%n", clients, before, during, during / before, after,
                after / before, load.errors());
        if (clients > 0) {
            System.out.printf("client work lost to the migration: %.1f s of the throughput before (%.0f operations)%n",
                    (before - during) * secs / before, (before - during) * secs);
        }
        StringBuilder timeline = new StringBuilder("during, per 2 s (ops/s):");
        for (long t = migStart; t < migEnd; t += 2000) {
            double r = load.rate(t, Math.min(t + 2000, migEnd));
            if (!Double.isNaN(r)) { // NaN: the last window holds no whole second
                timeline.append(String.format(" %.0f", r));
            }
        }
        System.out.println(timeline);
        System.out.printf("client latency p50 p90 p99 p99.9 (µs): before %s; during %s; after %s%n",
                load.latencyPercentiles(beforeStart, beforeEnd), load.latencyPercentiles(migStart, migEnd),
                load.latencyPercentiles(migEnd + 1000, afterEnd));
        StringBuilder paths = new StringBuilder("the clients' commands on moving keys (all proxies):");
        for (String name : PATH_COUNTERS) {
            paths.append(' ').append(name).append(' ').append(delta.applyAsLong(name));
        }
        paths.append(" MOVED ").append(info(lc, "moved_replies") - movedReplies0);
        System.out.println(paths);
        System.out.printf("scan steps (all proxies): %d, paced %d, paused %d ms in all, %d windows of 100 ms over the latency target%n",
                delta.applyAsLong("migrating_scan_steps"), delta.applyAsLong("migrating_scan_steps_paced"),
                delta.applyAsLong("migrating_scan_pause_ms"), delta.applyAsLong("migrating_scan_windows_over_latency_target"));
        long cw = delta.applyAsLong("migrating_scan_windows_with_clients");
        System.out.printf("pacing windows with clients: %d, mean latency added by the copy (p90 of the probe minus its baseline): %.0f µs%n",
                cw, cw == 0 ? 0.0 : (double) delta.applyAsLong("migrating_scan_added_latency_us") / cw);
        return new long[] {migEnd + 1000, afterEnd};
    }

    private static boolean trace;

    /**
     * --warm-free S: before the scale-out, the free proxies serve a throwaway cluster under the same
     * client load for S seconds (their JIT then has compiled the hot path), then that cluster is
     * deleted and its Redis flushed. Compared with a run without it, this shows what fresh JVMs
     * cost the clients during the migration.
     */
    private static void warmFreeProxies(LocalCluster lc, long seconds, int clients, long keys, int valueSize)
            throws Exception {
        lc.createCluster("warmup", 4);
        lc.awaitServing("warmup", 4, Duration.ofSeconds(120));
        List<LocalCluster.ProxyNode> warm = lc.servingProxies("warmup");
        Set<HostAndPort> seeds = new java.util.HashSet<>();
        for (LocalCluster.ProxyNode p : warm) {
            seeds.add(new HostAndPort("127.0.0.1", p.port()));
        }
        try (Throughput load = new Throughput(() -> new JedisCluster(seeds, 5000, 10), Math.max(1, clients), keys, valueSize, 0)) {
            Thread.sleep(seconds * 1000);
            System.out.printf("warmed the free proxies %s for %d s: %.0f ops/s in the last 2 s%n", warm.stream()
                    .map(LocalCluster.ProxyNode::address).toList(), seconds, load.rate(seconds * 1000 - 2000, seconds * 1000));
        }
        var r = lc.http("DELETE", "/api/v3/clusters/meta/warmup", null);
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("deleting the warm-up cluster: HTTP " + r.statusCode() + " " + r.body());
        }
        for (LocalCluster.ProxyNode p : warm) {
            for (RedisProcess redis : List.of(p.redis1(), p.redis2())) {
                try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
                    if (j.info("replication").contains("role:master")) {
                        j.flushAll();
                    }
                }
            }
        }
        Thread.sleep(2000); // the coordinator tells the proxies they are free again
    }

    /**
     * CPU time used so far (ms) by this JVM (the clients) and by every program it started, summed by
     * kind: redis-server, and the java programs by their first argument after the jar (proxy,
     * broker, coordinator).
     */
    private static String cpuUse(String label, Map<String, Long> from, Map<String, Long> to, double seconds) {
        StringBuilder line = new StringBuilder(label + " (cores busy, by program):");
        to.forEach((k, v) -> line.append(String.format(" %s %.2f", k, (v - from.getOrDefault(k, 0L)) / 1000.0 / seconds)));
        return line.toString();
    }

    private static Map<String, Long> cpuMillis() {
        Map<String, Long> out = new java.util.TreeMap<>();
        out.put("clients(bench JVM)", ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(0L));
        ProcessHandle.current().descendants().forEach(p -> {
            ProcessHandle.Info i = p.info();
            String cmd = i.command().orElse("?");
            String kind;
            if (cmd.endsWith("redis-server") || cmd.endsWith("redis-check-rdb")) { // Debian links one to the other
                kind = "redis";
            } else if (cmd.endsWith("java")) {
                List<String> a = List.of(i.arguments().orElse(new String[0]));
                kind = a.contains("proxy") ? "proxies" : a.contains("broker") ? "broker" : a.contains("coordinator")
                        ? "coordinator" : "java";
            } else {
                kind = cmd.substring(cmd.lastIndexOf('/') + 1);
            }
            out.merge(kind, i.totalCpuDuration().map(Duration::toMillis).orElse(0L), Long::sum);
        });
        return out;
    }

    /**
     * --trace: every 100 ms, the keys moved so far by every proxy (the copy's progress), printed
     * when interrupted as "ms since the auto call: keys moved in the last 100 ms".
     */
    private static void traceProgress(LocalCluster lc, long m0) {
        StringBuilder out = new StringBuilder("keys moved per 100 ms since the auto call (ms:keys):");
        try {
            long last = counter(lc, "migrating_moved_keys");
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(100);
                long now = counter(lc, "migrating_moved_keys");
                out.append(String.format(" %d:%d", (System.nanoTime() - m0) / 1_000_000, now - last));
                last = now;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            out.append(" (").append(e).append(')');
        }
        System.out.println(out);
    }

    private static final List<String> PATH_COUNTERS = List.of("migrating_held_commands", "importing_source_reads",
            "importing_source_reads_served", "importing_blind_sets", "importing_pulls", "importing_pulls_moving_keys",
            "importing_umsync_sent", "migrating_umsync_received", "migrating_moved_keys");

    private static boolean done(LocalCluster lc, int nodes) {
        try {
            JsonNode i = JSON.readTree(lc.http("GET", "/api/v3/clusters/info/mycluster", null).body());
            return !i.path("is_migrating").asBoolean(true) && i.path("node_number_with_slots").asInt() == nodes;
        } catch (Exception e) {
            return false;
        }
    }


    /**
     * Scaling out adds hardware; on one machine that is emulated by CPU affinity: the proxies
     * serving the cluster before scaling and their Redis run on core 0 (the machine the cluster
     * had), the free proxies that the scale-out adds and their Redis on core 1 (the machine it
     * adds). The broker, the coordinator and the load generator are not pinned. Threads started
     * later inherit their process's affinity.
     */
    private static void pin(LocalCluster lc) throws Exception {
        List<LocalCluster.ProxyNode> serving = lc.servingProxies("mycluster");
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores < 2) {
            throw new IllegalStateException("--pin needs 2 cores, this machine has " + cores);
        }
        for (LocalCluster.ProxyNode p : lc.proxies()) {
            int cpu = serving.contains(p) ? 0 : 1;
            for (long pid : new long[] {p.process().pid(), p.redis1().pid(), p.redis2().pid()}) {
                Process t = new ProcessBuilder("taskset", "-a", "-p", "-c", Integer.toString(cpu), Long.toString(pid))
                        .redirectErrorStream(true).start();
                String out = new String(t.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (t.waitFor() != 0) {
                    throw new IllegalStateException("taskset failed for pid " + pid + ": " + out);
                }
            }
            System.out.printf("pinned %s (%s) and its Redis to core %d%n", p.address(),
                    serving.contains(p) ? "serving before the scale-out" : "added by the scale-out", cpu);
        }
    }

    /** The sum of one INFO field over every proxy. */
    private static long info(LocalCluster lc, String name) throws Exception {
        long n = 0;
        for (LocalCluster.ProxyNode p : lc.proxies()) {
            for (String line : String.valueOf(Resp.command(p.address(), "INFO")).split("\r?\n")) {
                if (line.startsWith(name + ":")) {
                    n += Long.parseLong(line.substring(name.length() + 1).trim());
                }
            }
        }
        return n;
    }

    /** Every UMCTL STATS counter, summed over every proxy (one round trip per proxy). */
    private static Map<String, Long> stats(LocalCluster lc) throws Exception {
        Map<String, Long> sums = new java.util.HashMap<>();
        for (LocalCluster.ProxyNode p : lc.proxies()) {
            for (Object line : (List<?>) Resp.command(p.address(), "UMCTL", "STATS")) {
                String s = String.valueOf(line);
                int colon = s.indexOf(": ");
                if (colon > 0) {
                    try {
                        sums.merge(s.substring(0, colon), Long.parseLong(s.substring(colon + 2)), Long::sum);
                    } catch (NumberFormatException e) {
                        // a heading or a non-numeric line
                    }
                }
            }
        }
        return sums;
    }

    /** One UMCTL STATS counter summed over every proxy. */
    private static long counter(LocalCluster lc, String name) throws Exception {
        return stats(lc).getOrDefault(name, 0L);
    }

    /**
     * The same data on a 2-node official Redis Cluster: half of the slots resharded to the empty
     * node; with {@code clients} &gt; 0, under the same client load as ours, measured before and
     * during the reshard.
     */
    private static void official(long keys, int valueSize, int clients, long settleMillis, long rate) throws Exception {
        List<RedisProcess> nodes = new ArrayList<>();
        List<RedisProcess> replicas = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                nodes.add(RedisProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "15000"));
            }
            if (officialReplicas) {
                // like ours, where every master has a replica: one per node, fed by every write and move
                for (int i = 0; i < 2; i++) {
                    replicas.add(RedisProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                            "--cluster-node-timeout", "15000"));
                }
            }
            // scaling out 1 -> 2 masters, the analogue of 4 -> 8: the first node holds every slot and
            // the second none (redis-cli --cluster create wants 3 masters, so it is built by hand)
            try (Jedis a = new Jedis("127.0.0.1", nodes.get(0).port())) {
                a.sendCommand(redis.clients.jedis.Protocol.Command.CLUSTER, "ADDSLOTSRANGE", "0", "16383");
                a.clusterMeet("127.0.0.1", nodes.get(1).port());
            }
            waitClusterOk(nodes.get(0), 2);
            waitClusterOk(nodes.get(1), 2);
            for (int i = 0; i < replicas.size(); i++) {
                String masterId;
                try (Jedis m = new Jedis("127.0.0.1", nodes.get(i).port())) {
                    masterId = m.clusterMyId();
                    m.clusterMeet("127.0.0.1", replicas.get(i).port());
                }
                waitClusterOk(nodes.get(0), 3 + i);
                try (Jedis r = new Jedis("127.0.0.1", replicas.get(i).port())) {
                    for (int tries = 0; ; tries++) { // the replica must know the master's id first
                        try {
                            r.clusterReplicate(masterId);
                            break;
                        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                            if (tries > 100) {
                                throw e;
                            }
                            Thread.sleep(100);
                        }
                    }
                }
            }
            for (RedisProcess r : replicas) {
                waitClusterOk(r, 4);
            }
            KeyLoader.load("127.0.0.1", nodes.get(0).port(), keys, valueSize);
            String from;
            String to;
            try (Jedis a = new Jedis("127.0.0.1", nodes.get(0).port()); Jedis b = new Jedis("127.0.0.1", nodes.get(1).port())) {
                from = a.clusterMyId();
                to = b.clusterMyId();
            }
            long before = dbsize(nodes.get(1));
            Throughput load = null;
            long loadBefore = 0;
            if (clients > 0) {
                Set<HostAndPort> seeds = Set.of(new HostAndPort("127.0.0.1", nodes.get(0).port()));
                load = new Throughput(() -> new JedisCluster(seeds, 5000, 10), clients, keys, valueSize, rate);
                Thread.sleep(settleMillis + 2000);
                loadBefore = load.elapsedMillis();
            }
            long t0 = System.nanoTime();
            run("redis-cli", "--cluster", "reshard", nodes.get(0).address(), "--cluster-from", from, "--cluster-to", to,
                    "--cluster-slots", "8192", "--cluster-yes", "--cluster-pipeline", "16");
            double secs = (System.nanoTime() - t0) / 1e9;
            long moved = dbsize(nodes.get(1)) - before;
            System.out.printf("%nofficial Redis Cluster, 2 nodes" + (officialReplicas ? " with a replica each" : "") + ", redis-cli --cluster reshard of 8192 of 16384 slots to an empty node (--cluster-pipeline 16)%s: "
                    + "%d keys in %.1f s: %.0f keys/s%n", clients > 0 ? ", with " + clients + " client threads" : "", moved, secs,
                    moved / secs);
            if (load != null) {
                long loadEnd = load.elapsedMillis();
                double b = load.rate(2000, loadBefore);
                double d = load.rate(loadBefore, loadEnd);
                System.out.printf("official client throughput (GET+SET, %d threads): before %.0f ops/s, during %.0f ops/s (%.2fx); "
                        + "client errors: %d%n", clients, b, d, d / b, load.errors());
                System.out.printf("official client work lost to the reshard: %.1f s of the throughput before (%.0f operations)%n",
                        (b - d) * secs / b, (b - d) * secs);
                load.close();
            }
        } finally {
            nodes.forEach(RedisProcess::close);
            replicas.forEach(RedisProcess::close);
        }
    }

    private static long dbsize(RedisProcess r) {
        try (Jedis j = new Jedis("127.0.0.1", r.port())) {
            return j.dbSize();
        }
    }

    private static boolean officialReplicas;

    private static void waitClusterOk(RedisProcess r, int knownNodes) throws Exception {
        for (int i = 0; i < 300; i++) {
            try (Jedis j = new Jedis("127.0.0.1", r.port())) {
                String info = j.clusterInfo();
                if (info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + knownNodes + "\r")) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("official cluster did not become ok");
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }
}
