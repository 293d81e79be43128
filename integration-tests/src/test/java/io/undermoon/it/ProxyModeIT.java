package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.undermoon.model.SlotHash;
import io.undermoon.process.ChildProcesses;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Proxy mode (active_redirection = true): clients that know nothing of clusters (Jedis, Lettuce
 * standalone, redis-py, redis-cli without -c, redis-benchmark without --cluster) use any proxy of a
 * 4-master, 2-proxy cluster as if it were one Redis.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyModeIT {
    private ProxyModeCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = new ProxyModeCluster(true);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void flush() throws Exception {
        for (var r : cluster.redis) {
            r.command("FLUSHALL");
        }
    }

    /** n keys covering the four masters. */
    static List<String> keys(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    private int[] keysPerRedis() throws Exception {
        int[] n = new int[4];
        for (int i = 0; i < 4; i++) {
            try (Jedis r = new Jedis("127.0.0.1", cluster.redis.get(i).port())) {
                n[i] = (int) r.dbSize();
            }
        }
        return n;
    }

    @Test
    void jedisMultiKeyCommandsAcrossSlotsBehaveAsOneRedis() throws Exception {
        List<String> keys = keys("jk:", 40);
        String[] kv = new String[80];
        for (int i = 0; i < 40; i++) {
            kv[2 * i] = keys.get(i);
            kv[2 * i + 1] = "v" + i;
        }
        try (JedisPooled one = new JedisPooled("127.0.0.1", cluster.port(0));
                Jedis two = new Jedis("127.0.0.1", cluster.port(1))) {
            assertThat(one.mset(kv)).isEqualTo("OK");
            assertThat(java.util.Arrays.stream(keysPerRedis()).min().orElse(0)).isPositive();
            List<String> asked = new ArrayList<>(keys);
            asked.add(1, "missing");
            asked.add(keys.get(7)); // a key asked twice
            List<String> expected = new ArrayList<>();
            for (String k : asked) {
                expected.add(k.equals("missing") ? null : "v" + keys.indexOf(k));
            }
            assertThat(two.mget(asked.toArray(String[]::new))).isEqualTo(expected);
            assertThat(two.exists(asked.toArray(String[]::new))).isEqualTo(41);
            assertThat(one.touch(keys.subList(0, 10).toArray(String[]::new))).isEqualTo(10);
            assertThat(two.unlink(keys.subList(0, 10).toArray(String[]::new))).isEqualTo(10);
            assertThat(one.del(keys.toArray(String[]::new))).isEqualTo(30);
            assertThat(keysPerRedis()).containsOnly(0);
        }
    }

    @Test
    void lettuceStandaloneClient() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + cluster.port(1));
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> cmd = conn.sync();
            Map<String, String> kv = new LinkedHashMap<>();
            keys("lt:", 50).forEach(k -> kv.put(k, "x" + k));
            assertThat(cmd.mset(kv)).isEqualTo("OK");
            assertThat(cmd.mget(kv.keySet().toArray(String[]::new))).allMatch(v -> v.getValue().equals("x" + v.getKey()));
            assertThat(cmd.dbsize()).isEqualTo(50);
            Set<String> seen = new HashSet<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = cmd.scan(cursor, ScanArgs.Builder.limit(7));
                seen.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            assertThat(seen).isEqualTo(kv.keySet());
            assertThat(cmd.keys("lt:1*")).hasSize(11);
            assertThat(kv).containsKey(cmd.randomkey());
            assertThat(cmd.del(kv.keySet().toArray(String[]::new))).isEqualTo(50);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void redisPyClient() throws Exception {
        String script = String.join("\n",
                "import redis, sys",
                "r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]))",
                "keys = ['py:%d' % i for i in range(60)]",
                "assert r.mset({k: k.upper() for k in keys})",
                "assert r.mget(keys) == [k.upper().encode() for k in keys], r.mget(keys)",
                "assert sorted(r.scan_iter(count=5)) == sorted(k.encode() for k in keys)",
                "assert r.dbsize() == 60",
                "assert len(r.keys('py:*')) == 60",
                "assert r.exists(*keys) == 60",
                "assert r.delete(*keys) == 60",
                "assert r.dbsize() == 0",
                "print('ok')");
        assertThat(run("/usr/bin/python3", "-c", script, Integer.toString(cluster.port(0)))).isEqualTo("ok");
    }

    @Test
    void redisCliWithoutClusterMode() throws Exception {
        String port = Integer.toString(cluster.port(1));
        List<String> mset = new ArrayList<>(List.of("-p", port, "MSET"));
        keys("cli:", 30).forEach(k -> {
            mset.add(k);
            mset.add("1");
        });
        assertThat(run(cli(mset))).isEqualTo("OK");
        assertThat(run(cli(List.of("-p", port, "MGET", "cli:0", "cli:29", "nope")))).isEqualTo("1\n1");
        assertThat(run(cli(List.of("-p", port, "DBSIZE")))).isEqualTo("30");
        assertThat(run(cli(List.of("-p", port, "--scan", "--pattern", "cli:*"))).split("\n")).hasSize(30);
        assertThat(run(cli(List.of("-p", port, "FLUSHALL")))).isEqualTo("OK");
        assertThat(keysPerRedis()).containsOnly(0);
    }

    @Test
    void redisBenchmarkDefaultSuiteWithoutErrors() throws Exception {
        String out = run("redis-benchmark", "-p", Integer.toString(cluster.port(0)), "-n", "150", "-c", "4", "-r", "100000",
                "-q");
        assertThat(out).contains("MSET (10 keys)").contains("LRANGE_600").doesNotContainIgnoringCase("error");
        assertThat(java.util.Arrays.stream(keysPerRedis()).min().orElse(0)).isPositive();
    }

    @Test
    void scanCursorWorksThroughAnyProxyAndRefusesAChangedTopology() throws Exception {
        try (Jedis a = new Jedis("127.0.0.1", cluster.port(0)); Jedis b = new Jedis("127.0.0.1", cluster.port(1))) {
            for (String k : keys("sc:", 200)) {
                a.set(k, "1");
            }
            Set<String> seen = new HashSet<>();
            String cursor = ScanParams.SCAN_POINTER_START;
            int calls = 0;
            do {
                ScanResult<String> page = (calls++ % 2 == 0 ? a : b).scan(cursor, new ScanParams().count(20).match("sc:*"));
                seen.addAll(page.getResult());
                cursor = page.getCursor();
            } while (!cursor.equals("0"));
            assertThat(seen).hasSize(200);
            ScanResult<String> first = a.scan("0", new ScanParams().count(5));
            assertThat(first.getCursor()).isNotEqualTo("0");
            cluster.setCluster(cluster.epoch + 1);
            String stale = first.getCursor();
            assertThatThrownBy(() -> b.scan(stale)).hasMessageContaining("restart the SCAN from cursor 0");
            assertThatThrownBy(() -> b.scan("abc")).hasMessageContaining("ERR invalid cursor");
            assertThatThrownBy(() -> b.scan("-1")).hasMessageContaining("ERR invalid cursor");
            assertThat(b.scan("0").getResult()).isNotEmpty();
        }
    }

    @Test
    void badInputIsRefusedAndWritesNothing() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", cluster.port(0))) {
            String x = keyIn(0, 4095, "b:");
            String y = keyIn(12288, 16383, "b:");
            assertThatThrownBy(() -> j.msetnx(x, "1", y, "2")).hasMessageContaining("MSETNX with keys in different slots");
            assertThatThrownBy(() -> j.sendCommand(redis.clients.jedis.Protocol.Command.MSET, x, "1", y))
                    .hasMessageContaining("wrong number of arguments for 'mset'");
            assertThat(keysPerRedis()).containsOnly(0);
            // other cross-slot commands still answer CROSSSLOT
            assertThatThrownBy(() -> j.sunion(x, y)).hasMessageContaining("CROSSSLOT");
            // same slot: MSETNX is atomic on one Redis and works
            assertThat(j.msetnx("{t}a", "1", "{t}b", "2")).isEqualTo(1);
        }
    }

    @Test
    void serverCommandsSeeTheWholeCluster() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", cluster.port(1))) {
            for (String k : keys("sv:", 25)) {
                j.setex(k, 1000, "v");
            }
            j.set("sv:plain", "v");
            assertThat(j.info("keyspace")).contains("db0:keys=26,expires=25,avg_ttl=");
            assertThat(j.info()).contains("# Server").contains("db0:keys=26,");
            assertThat(j.dbSize()).isEqualTo(26);
            assertThat(j.keys("sv:*")).hasSize(26);
            assertThat(j.randomKey()).startsWith("sv:");
            // COMMAND shows what the proxy serves, not what Redis has
            List<Object> all = (List<Object>) j.sendCommand(redis.clients.jedis.Protocol.Command.COMMAND);
            assertThat(j.commandCount()).isEqualTo(all.size()).isGreaterThan(150);
            assertThat(j.commandList()).contains("get", "mget", "scan").doesNotContain("monitor", "migrate", "swapdb");
            assertThat(j.commandInfo("get", "monitor")).containsKey("get").doesNotContainKey("monitor");
            assertThat(j.commandDocs("get", "monitor")).containsKey("get").doesNotContainKey("monitor");
            assertThat(j.flushDB()).isEqualTo("OK");
            assertThat(keysPerRedis()).containsOnly(0);
            assertThat(j.randomKey()).isNull();
            assertThat(j.info("keyspace").strip()).isEqualTo("# Keyspace");
        }
    }

    @Test
    void throughHaproxy() throws Exception {
        assertThat(new java.io.File("/usr/sbin/haproxy").canExecute())
                .as("haproxy is installed (scripts/test installs Debian's haproxy)").isTrue();
        int port = io.undermoon.process.FreePorts.next();
        String cfg = java.nio.file.Files.readString(io.undermoon.process.Repository.root().resolve("deploy/haproxy/haproxy.cfg"))
                .replace("127.0.0.1:6379", "127.0.0.1:" + port)
                .replace("127.0.0.1:5299", cluster.address(0)).replace("127.0.0.1:5300", cluster.address(1));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("haproxy", ".cfg");
        java.nio.file.Files.writeString(file, cfg);
        Process haproxy = ChildProcesses.register(new ProcessBuilder("/usr/sbin/haproxy", "-f", file.toString(), "-db")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        try {
            for (int i = 0; i < 100 && io.undermoon.process.FreePorts.isFree(port); i++) {
                Thread.sleep(50);
            }
            List<Jedis> conns = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    conns.add(new Jedis("127.0.0.1", port));
                }
                String[] kv = keys("ha:", 20).stream().flatMap(k -> java.util.stream.Stream.of(k, k)).toArray(String[]::new);
                assertThat(conns.get(0).mset(kv)).isEqualTo("OK");
                Set<String> seen = new HashSet<>();
                String cursor = "0";
                int call = 0;
                do { // each call on another connection, so on the other proxy as well
                    ScanResult<String> page = conns.get(call++ % 4).scan(cursor, new ScanParams().count(3));
                    seen.addAll(page.getResult());
                    cursor = page.getCursor();
                } while (!cursor.equals("0"));
                assertThat(seen).containsExactlyInAnyOrderElementsOf(keys("ha:", 20));
                Set<String> ports = new HashSet<>();
                for (Jedis j : conns) {
                    ports.add(j.configGet("address").get("address"));
                    assertThat(j.mget("ha:0", "ha:19")).containsExactly("ha:0", "ha:19");
                }
                assertThat(ports).containsExactlyInAnyOrder(cluster.address(0), cluster.address(1));
            } finally {
                conns.forEach(Jedis::close);
            }
        } finally {
            ChildProcesses.killAndWait(haproxy);
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    static String keyIn(int low, int high, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            int s = SlotHash.slot(k);
            if (s >= low && s <= high) {
                return k;
            }
        }
    }

    private static String[] cli(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("redis-cli");
        cmd.addAll(args);
        return cmd.toArray(String[]::new);
    }

    static String run(String... command) throws Exception {
        Process p = ChildProcesses.register(new ProcessBuilder(command).redirectErrorStream(true).start());
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } finally {
            ChildProcesses.killAndWait(p);
        }
    }
}
