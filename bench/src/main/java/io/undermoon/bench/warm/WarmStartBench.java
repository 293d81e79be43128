package io.undermoon.bench.warm;

import io.undermoon.local.LocalCluster;
import io.undermoon.process.ChildProcesses;
import io.undermoon.process.FreePorts;
import io.undermoon.process.RedisProcess;
import io.undermoon.process.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * Warm start of a server proxy: a fresh proxy JVM started as {@link LocalCluster} starts one (the
 * proxies of a scale-out), given all slots of a redis-server with UMCTL SETCLUSTER, then put under
 * client load at once; throughput per 100 ms for {@code --seconds}. Reports the first 2 s against
 * the steady rate (the last 10 s), with the JDK's AOT cache and without it, and the same ratio for
 * the Redis measured directly in the same run (the control).
 *
 * <p>Usage: {@code bench/warm-start.sh [--runs 2] [--seconds 20] [--clients 8]}
 */
public final class WarmStartBench {
    private static final ProtocolCommand UMCTL = () -> "UMCTL".getBytes();

    private WarmStartBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("--runs", "2", "--seconds", "20", "--clients", "8"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!o.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + " (known: " + o.keySet() + ")");
            }
            o.put(args[i], args[i + 1]);
        }
        int runs = Integer.parseInt(o.get("--runs"));
        int seconds = Integer.parseInt(o.get("--seconds"));
        int clients = Integer.parseInt(o.get("--clients"));
        if (seconds < 12) {
            throw new IllegalArgumentException("--seconds must be at least 12 (2 s start + 10 s steady)");
        }
        LocalCluster.Runtime withCache = LocalCluster.Runtime.ofRepository(Repository.root());
        if (withCache.jvmOptions().equals(withCache.withoutAotCache().jvmOptions())) {
            throw new IllegalStateException("no fresh AOT cache next to " + withCache.classpath()
                    + ": bench/warm-start.sh builds it (or UNDERMOON_AOT_CACHE is off)");
        }
        System.out.printf("%d client threads (Jedis, GET and SET one at a time on 10,000 keys), %d s per phase; proxy JVM: %s%n",
                clients, seconds, String.join(" ", withCache.jvmOptions()));
        Path logDir = Files.createTempDirectory("undermoon-warm-start-");
        try (RedisProcess redis = RedisProcess.start()) {
            SliceLoad.run(redis.port(), clients, 3); // the client JVM's own warm-up, not counted
            SliceLoad.Result control = SliceLoad.run(redis.port(), clients, seconds);
            System.out.println(line("direct Redis (control)", -1, control));
            List<double[]> ratios = new ArrayList<>();
            List<double[]> readies = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                boolean[] order = r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
                double[] pair = new double[2];
                double[] ready = new double[2];
                for (boolean aot : order) {
                    LocalCluster.Runtime rt = aot ? withCache : withCache.withoutAotCache();
                    Phase p = proxyPhase(rt, redis, clients, seconds, logDir.resolve("proxy-" + r + (aot ? "-aot" : "-cold") + ".log"));
                    System.out.println(line("proxy, " + (aot ? "AOT cache" : "no cache "), p.readyMillis, p.result));
                    pair[aot ? 1 : 0] = p.result.firstTwoSeconds() / p.result.steady();
                    ready[aot ? 1 : 0] = p.readyMillis;
                }
                ratios.add(pair);
                readies.add(ready);
            }
            SliceLoad.Result control2 = SliceLoad.run(redis.port(), clients, seconds);
            System.out.println(line("direct Redis (control, again)", -1, control2));
            for (int r = 0; r < ratios.size(); r++) {
                System.out.printf("run %d: first 2 s / steady: no cache %.2f, AOT cache %.2f (direct Redis %.2f, %.2f)%n", r + 1,
                        ratios.get(r)[0], ratios.get(r)[1], control.firstTwoSeconds() / control.steady(),
                        control2.firstTwoSeconds() / control2.steady());
            }
            if (ratios.size() > 1) {
                System.out.printf("median of %d runs: no cache %.2f, AOT cache %.2f; ready (ms): no cache %d, AOT cache %d%n",
                        ratios.size(), median(ratios, 0), median(ratios, 1), (long) median(readies, 0), (long) median(readies, 1));
            }
        }
        System.out.println("proxy logs: " + logDir);
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private record Phase(long readyMillis, SliceLoad.Result result) {}

    /** Starts the proxy JVM, waits until it answers, gives it the cluster and loads it at once. */
    private static Phase proxyPhase(LocalCluster.Runtime rt, RedisProcess redis, int clients, int seconds, Path log)
            throws IOException, InterruptedException {
        int port = FreePorts.next();
        String address = "127.0.0.1:" + port;
        List<String> cmd = new ArrayList<>();
        cmd.add(rt.java());
        cmd.addAll(rt.jvmOptions());
        String extra = System.getenv("UNDERMOON_WARM_PROXY_OPTS"); // more options for the proxy JVM, for experiments
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.strip().split("\\s+")));
        }
        cmd.addAll(List.of("-cp", rt.classpath(), rt.mainClass(), "proxy"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("UNDERMOON_"));
        pb.environment().put("UNDERMOON_ADDRESS", address);
        pb.environment().put("UNDERMOON_ANNOUNCE_ADDRESS", address);
        long start = System.nanoTime();
        Process proxy = ChildProcesses.register(pb.start());
        try {
            Object reply = null;
            while (reply == null) {
                if (!proxy.isAlive() || System.nanoTime() - start > 30_000_000_000L) {
                    throw new IllegalStateException("the proxy did not start: see " + log);
                }
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    reply = j.sendCommand(UMCTL, "SETCLUSTER", "v2", "1", "NOFLAG", "warm", redis.address(), "1", "0-16383");
                } catch (RuntimeException notYet) {
                    Thread.sleep(20);
                }
            }
            long ready = (System.nanoTime() - start) / 1_000_000;
            return new Phase(ready, SliceLoad.run(port, clients, seconds));
        } finally {
            ChildProcesses.killAndWait(proxy);
        }
    }

    private static String line(String what, long readyMillis, SliceLoad.Result r) {
        StringBuilder b = new StringBuilder(String.format("%-30s", what));
        if (readyMillis >= 0) {
            b.append(String.format(" ready %5d ms after start;", readyMillis));
        }
        b.append(String.format(" ops/s: first 2 s %6.0f, steady (last 10 s) %6.0f = %.2f; errors %d; seconds 1-6:",
                r.firstTwoSeconds(), r.steady(), r.firstTwoSeconds() / r.steady(), r.errors()));
        for (int s = 0; s < 6; s++) {
            b.append(String.format(" %.0f", r.perSecond(s)));
        }
        return b.toString();
    }
}
