package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.local.AotCache;
import io.undermoon.local.LocalCluster;
import io.undermoon.process.ChildProcesses;
import io.undermoon.process.FreePorts;
import io.undermoon.process.RedisProcess;
import io.undermoon.process.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;

/**
 * The proxy's AOT cache (docs/proxy.md, "Warm start: the AOT cache"): a training run ({@code aot-train})
 * writes it; {@link LocalCluster.Runtime} passes it to a child JVM only while it is fresh; a proxy
 * started with it loads its classes from it and serves; a stale, missing or broken cache does not
 * stop a proxy from starting. Works on a copy of the built jar and its lib/, so that the checkout's
 * own cache is left alone.
 */
class AotCacheIT {
    private static final ProtocolCommand UMCTL = () -> "UMCTL".getBytes();

    @TempDir
    static Path copy;

    static Path jar;
    static Path cache;

    @BeforeAll
    static void trainOnACopy() throws Exception {
        Path target = Repository.root().resolve("cli/target");
        Path to = Files.createDirectories(copy.resolve("cli/target/lib"));
        Files.copy(target.resolve("undermoon.jar"), to.getParent().resolve("undermoon.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        try (Stream<Path> libs = Files.list(target.resolve("lib"))) {
            for (Path l : libs.toList()) {
                Files.copy(l, to.resolve(l.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        jar = to.getParent().resolve("undermoon.jar");
        cache = AotCache.file(jar);
        LocalCluster.Runtime rt = LocalCluster.Runtime.ofRepository(copy);
        assertThat(rt.jvmOptions()).as("no cache yet").noneMatch(AotCache::isUseOption);
        List<String> cmd = new ArrayList<>(List.of(rt.java()));
        cmd.addAll(rt.jvmOptions());
        cmd.add(AotCache.trainOption(cache, Runtime.version().feature()));
        cmd.addAll(List.of("-cp", rt.classpath(), rt.mainClass(), "aot-train", "--seconds", "1", "--clients", "2"));
        Path log = copy.resolve("train.log");
        Process p = ChildProcesses.register(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("training run ended").isTrue();
        String out = Files.readString(log);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).containsPattern("undermoon aot-train: [1-9][0-9]* commands through the proxy in 1 s, 0 errors");
        assertThat(cache).as(out).isNotEmptyFile();
    }

    @Test
    void aFreshCacheIsPassedToTheChildJvmWhichLoadsItsClassesFromItAndServes() throws Exception {
        LocalCluster.Runtime rt = LocalCluster.Runtime.ofRepository(copy);
        assertThat(rt.jvmOptions()).contains(AotCache.useOption(cache, Runtime.version().feature()));
        assertThat(rt.withoutAotCache().jvmOptions()).noneMatch(AotCache::isUseOption);
        Path classes = copy.resolve("classes-fresh.log");
        String log = startServeAndStop(rt.jvmOptions(), List.of("-Xlog:class+load=info:file=" + classes));
        assertThat(Files.readAllLines(classes)).as(log)
                .anyMatch(l -> l.contains("io.undermoon.proxy.ServerProxy source: shared objects file"));
    }

    @Test
    void aStaleCacheIsNotPassedAndAProxyGivenItAnywayStillStarts() throws Exception {
        Path stale = copy.resolve("stale.aot");
        Files.copy(cache, stale);
        Path lib = copy.resolve("cli/target/lib");
        Path proxyJar;
        try (Stream<Path> s = Files.list(lib)) {
            proxyJar = s.filter(p -> p.getFileName().toString().startsWith("undermoon-proxy-")).findFirst().orElseThrow();
        }
        FileTime before = Files.getLastModifiedTime(proxyJar);
        Files.setLastModifiedTime(proxyJar, FileTime.from(Instant.now().plusSeconds(60)));
        try {
            assertThat(AotCache.fresh(cache, jar)).as("a jar of lib/ is newer").isFalse();
            assertThat(LocalCluster.Runtime.ofRepository(copy).jvmOptions()).noneMatch(AotCache::isUseOption);
            // the JVM's own check: the cache no longer matches the class path, it warns and runs without it
            startServeAndStop(List.of(AotCache.useOption(stale, Runtime.version().feature())), List.of());
        } finally {
            Files.setLastModifiedTime(proxyJar, before);
        }
        assertThat(AotCache.fresh(cache, jar)).isTrue();
    }

    @Test
    void aMissingOrBrokenCacheDoesNotStopAProxy() throws Exception {
        int feature = Runtime.version().feature();
        String log = startServeAndStop(List.of(AotCache.useOption(copy.resolve("missing.aot"), feature)), List.of());
        assertThat(log).as("the JVM says why it runs without the cache").containsIgnoringCase("error");
        Path broken = copy.resolve("broken.aot");
        Files.write(broken, "not a cache".repeat(1000).getBytes());
        assertThat(startServeAndStop(List.of(AotCache.useOption(broken, feature)), List.of())).containsIgnoringCase("AOT cache");
    }

    @Test
    void theEnvironmentTurnsItOffAndABadValueIsRefused() {
        String cp = jar.toString();
        assertThat(AotCache.optionsFor(cp, Map.of())).hasSize(1);
        assertThat(AotCache.optionsFor(cp, Map.of(AotCache.ENV, "on"))).hasSize(1);
        assertThat(AotCache.optionsFor(cp, Map.of(AotCache.ENV, "off"))).isEmpty();
        assertThat(AotCache.optionsFor(cp + java.io.File.pathSeparator + cp, Map.of())).as("not one jar").isEmpty();
        assertThatThrownBy(() -> AotCache.optionsFor(cp, Map.of(AotCache.ENV, "maybe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UNDERMOON_AOT_CACHE must be on or off");
    }

    /**
     * Starts a proxy of the copy with LocalCluster's options but the given cache options, gives it a
     * redis-server, checks SET and GET through it, stops it; returns its output.
     */
    private static String startServeAndStop(List<String> cacheOptions, List<String> extra) throws Exception {
        LocalCluster.Runtime rt = LocalCluster.Runtime.ofRepository(copy).withoutAotCache();
        List<String> cmd = new ArrayList<>(List.of(rt.java()));
        cmd.addAll(rt.jvmOptions());
        cmd.addAll(cacheOptions);
        cmd.addAll(extra);
        cmd.addAll(List.of("-cp", rt.classpath(), rt.mainClass(), "proxy"));
        int port = FreePorts.next();
        Path log = Files.createTempFile(copy, "proxy-", ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("UNDERMOON_"));
        pb.environment().put("UNDERMOON_ADDRESS", "127.0.0.1:" + port);
        try (RedisProcess redis = RedisProcess.start()) {
            Process proxy = ChildProcesses.register(pb.start());
            try {
                Object reply = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (reply == null) {
                    assertThat(proxy.isAlive()).as(read(log)).isTrue();
                    assertThat(System.nanoTime()).as("proxy answered in time: " + read(log)).isLessThan(deadline);
                    try (Jedis j = new Jedis("127.0.0.1", port)) {
                        reply = j.sendCommand(UMCTL, "SETCLUSTER", "v2", "1", "NOFLAG", "aot", redis.address(), "1", "0-16383");
                    } catch (RuntimeException notYet) {
                        Thread.sleep(50);
                    }
                }
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    assertThat(j.set("aot-key", "v1")).isEqualTo("OK");
                    assertThat(j.get("aot-key")).isEqualTo("v1");
                }
                try (Jedis direct = new Jedis("127.0.0.1", redis.port())) {
                    assertThat(direct.get("aot-key")).as("the SET reached the Redis").isEqualTo("v1");
                }
                return read(log);
            } finally {
                ChildProcesses.killAndWait(proxy);
            }
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
