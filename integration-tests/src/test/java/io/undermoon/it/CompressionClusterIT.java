package io.undermoon.it;

import io.undermoon.testkit.ClusterProbe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import io.undermoon.local.LocalCluster;
import io.undermoon.process.RedisProcess;
import io.undermoon.process.Repository;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * compression_strategy set through the broker's API on a whole local system (broker, coordinator,
 * 4 proxies, 8 Redis): JedisCluster writes compressed values, the cluster scales out from 4 to 8
 * nodes (the migration moves the stored frames as they are), every value reads back, the Redis of
 * the new nodes hold zstd frames, and switching to allow_all with PATCH takes effect.
 */
class CompressionClusterIT {
    private static final Logger LOG = LoggerFactory.getLogger(CompressionClusterIT.class);
    private static final int KEYS = 400;

    private static byte[] value(int i) {
        return value(i, 0);
    }

    /** The value of key i at generation g (a writer rewrites keys while the cluster scales). */
    private static byte[] value(int i, int g) {
        return ("{\"key\":" + i + ",\"generation\":" + g + ",\"payload\":\"" + new String(CompressionIT.JSON, StandardCharsets.UTF_8)
                .replace('"', '\'') + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static List<RedisProcess> redisOf(List<LocalCluster.ProxyNode> proxies) {
        List<RedisProcess> out = new ArrayList<>();
        for (LocalCluster.ProxyNode p : proxies) {
            out.add(p.redis1());
            out.add(p.redis2());
        }
        return out;
    }

    /** Every "doc:" value a Redis holds (masters and replicas alike) must be a frame of what was written. */
    private static int checkStoredFrames(RedisProcess redis) {
        int n = 0;
        try (Jedis j = new Jedis("127.0.0.1", redis.port())) {
            String cursor = "0";
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().match("doc:*").count(1000));
                for (String k : r.getResult()) {
                    byte[] stored = j.get(k.getBytes(StandardCharsets.UTF_8));
                    byte[] expected = value(Integer.parseInt(k.substring(4)));
                    assertThat(CompressionIT.isFrame(stored)).as(k + " on " + redis.address()).isTrue();
                    assertThat(stored.length).isLessThan(expected.length / 2);
                    byte[] plain = Zstd.decompress(stored, expected.length + 64);
                    assertThat(new String(plain, StandardCharsets.UTF_8)).startsWith("{\"key\":" + k.substring(4) + ",");
                    n++;
                }
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
        }
        return n;
    }

    private static void verifyAll(JedisCluster jc, int[] generations) {
        for (int i = 0; i < KEYS; i++) {
            assertThat(jc.get(("doc:" + i).getBytes(StandardCharsets.UTF_8))).as("doc:" + i)
                    .isEqualTo(value(i, generations[i]));
        }
        List<byte[]> m = jc.mget("{m}1".getBytes(StandardCharsets.UTF_8), "{m}2".getBytes(StandardCharsets.UTF_8));
        assertThat(m.get(0)).isEqualTo(value(1));
        assertThat(m.get(1)).isEqualTo(value(2));
    }

    @Test
    void compressedValuesSurviveAScaleOutAndTheStrategyCanChange() throws Exception {
        try (LocalCluster lc = LocalCluster.builder().proxies(4).hosts(2)
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root())).start()) {
            HttpResponse<String> created = lc.http("POST", "/api/v3/clusters/meta/zc",
                    "{\"node_number\":4,\"config\":{\"compression_strategy\":\"set_get_only\"}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            HttpResponse<String> bad = lc.http("PATCH", "/api/v3/clusters/config/zc", "{\"compression_strategy\":\"gzip\"}");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("INVALID_CONFIG");
            lc.awaitServing("zc", 4, Duration.ofSeconds(120));
            Set<String> before = new HashSet<>();
            lc.servingProxies("zc").forEach(p -> before.add(p.address()));

            try (JedisCluster jc = ClusterProbe.client(lc, 5000, 10)) {
                for (int i = 0; i < KEYS; i++) {
                    byte[] key = ("doc:" + i).getBytes(StandardCharsets.UTF_8);
                    if (i % 4 == 0) {
                        assertThat(jc.setex(key, 3600, value(i))).isEqualTo("OK");
                    } else {
                        assertThat(jc.set(key, value(i))).isEqualTo("OK");
                    }
                }
                assertThat(jc.mset("{m}1".getBytes(StandardCharsets.UTF_8), value(1), "{m}2".getBytes(StandardCharsets.UTF_8),
                        value(2))).isEqualTo("OK");
                assertThat(jc.set("counter", "5")).isEqualTo("OK");
                assertThatThrownBy(() -> jc.incr("counter")).isInstanceOf(JedisDataException.class)
                        .hasMessage("unsupported string command when compression is enabled");
                verifyAll(jc, new int[KEYS]);
            }
            int framesBefore = 0;
            for (RedisProcess r : redisOf(lc.proxies())) {
                framesBefore += checkStoredFrames(r);
            }
            assertThat(framesBefore).as("values on the masters (and the replicas that caught up)").isGreaterThanOrEqualTo(KEYS);

            // scale out: half the slots move to two new proxies, with the bytes Redis stores, while a
            // client rewrites values and reads each back (the importing side's paths: reads from the
            // source, SETs written on the destination)
            int[] generations = new int[KEYS];
            List<String> problems = new CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            Thread writer = new Thread(() -> {
                try (JedisCluster w = ClusterProbe.client(lc, 5000, 30)) {
                    for (int round = 1; !stop.get(); round++) {
                        for (int i = 0; i < KEYS && !stop.get(); i += 7) {
                            byte[] key = ("doc:" + i).getBytes(StandardCharsets.UTF_8);
                            byte[] before2 = w.get(key);
                            if (!Arrays.equals(before2, value(i, generations[i]))) {
                                problems.add("doc:" + i + " read back wrong before generation " + round);
                            }
                            w.set(key, value(i, round));
                            generations[i] = round;
                            writes.incrementAndGet();
                        }
                    }
                } catch (RuntimeException e) {
                    problems.add(e.toString());
                }
            });
            writer.start();
            ScalingIT.scaleTo(lc, "zc", 8, Duration.ofMinutes(3));
            stop.set(true);
            writer.join(30_000);
            assertThat(problems).as("wrong reads or errors during the scale-out").isEmpty();
            LOG.info("{} values rewritten and read back during the scale-out", writes.get());
            assertThat(writes.get()).as("a whole round of rewrites during the scale-out").isGreaterThan(KEYS / 7);
            List<LocalCluster.ProxyNode> added = new ArrayList<>(lc.servingProxies("zc"));
            added.removeIf(p -> before.contains(p.address()));
            assertThat(added).hasSize(2);
            int moved = 0;
            for (RedisProcess r : redisOf(added)) {
                moved += checkStoredFrames(r);
            }
            assertThat(moved).as("compressed values now on the new nodes").isPositive();
            try (JedisCluster jc = ClusterProbe.client(lc, 5000, 10)) {
                verifyAll(jc, generations);
                assertThat(jc.ttl("doc:4")).isPositive();

                // allow_all through the broker: the other string commands pass from then on
                HttpResponse<String> patched = lc.http("PATCH", "/api/v3/clusters/config/zc",
                        "{\"compression_strategy\":\"allow_all\"}");
                assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
                lc.await("allow_all pushed to the proxies", Duration.ofSeconds(60), () -> {
                    try {
                        return jc.incr("counter") > 5;
                    } catch (JedisDataException e) {
                        return false;
                    }
                });
                verifyAll(jc, generations);
            }
        }
    }
}
