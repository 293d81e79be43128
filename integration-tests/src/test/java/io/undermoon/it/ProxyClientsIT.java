package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.undermoon.model.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/** Real cluster clients against two proxies in front of two redis-servers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyClientsIT {
    private TwoProxyCluster cluster;
    private JedisCluster jedis;

    @BeforeAll
    void start() throws Exception {
        cluster = TwoProxyCluster.start();
        jedis = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", cluster.proxy1.port())), 5000, 5);
    }

    @AfterAll
    void stop() {
        if (jedis != null) {
            jedis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void jedisClusterReadsAndWritesKeysOfEverySlotRange() throws Exception {
        for (int i = 0; i < 1000; i++) {
            jedis.set("key:" + i, "value:" + i);
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(jedis.get("key:" + i)).isEqualTo("value:" + i);
        }
        // the keys really are spread over both Redis instances
        try (Jedis r1 = new Jedis("127.0.0.1", cluster.redis1.port()); Jedis r2 = new Jedis("127.0.0.1", cluster.redis2.port())) {
            long n1 = r1.dbSize();
            long n2 = r2.dbSize();
            assertThat(n1).isPositive();
            assertThat(n2).isPositive();
            for (int i = 0; i < 1000; i++) {
                String key = "key:" + i;
                Jedis owner = SlotHash.slot(key) <= 8191 ? r1 : r2;
                assertThat(owner.get(key)).isEqualTo("value:" + i);
            }
        }
        assertThat(jedis.incr("counter")).isEqualTo(1);
        assertThat(jedis.incrBy("counter", 41)).isEqualTo(42);
        jedis.hset("h", "f", "v");
        assertThat(jedis.hgetAll("h")).containsEntry("f", "v");
        assertThat(jedis.zadd("z", 1.5, "m")).isEqualTo(1);
        assertThat(jedis.zscore("z", "m")).isEqualTo(1.5);
    }

    @Test
    void hashTaggedMultiKeyCommandsWorkAndCrossSlotIsRefused() {
        jedis.mset("{user1}:a", "1", "{user1}:b", "2", "{user1}:c", "3");
        assertThat(jedis.mget("{user1}:a", "{user1}:b", "{user1}:c")).containsExactly("1", "2", "3");
        assertThat(jedis.exists("{user1}:a", "{user1}:b", "{user1}:nope")).isEqualTo(2);
        assertThat(jedis.del("{user1}:a", "{user1}:b")).isEqualTo(2);
        assertThat(jedis.eval("return redis.call('incrby', KEYS[1], ARGV[1])", List.of("{user1}:n"), List.of("5")))
                .isEqualTo(5L);
        try (Jedis direct = new Jedis("127.0.0.1", cluster.proxy1.port())) {
            assertThatThrownBy(() -> direct.mget("a", "b")).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("CROSSSLOT");
        }
    }

    @Test
    void lettuceClusterClientIncludingA1000CommandPipeline() throws Exception {
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", cluster.proxy2.port()));
        try (StatefulRedisClusterConnection<String, String> conn = client.connect()) {
            RedisAdvancedClusterCommands<String, String> sync = conn.sync();
            sync.set("lettuce", "ok");
            assertThat(sync.get("lettuce")).isEqualTo("ok");
            conn.setAutoFlushCommands(false);
            RedisAdvancedClusterAsyncCommands<String, String> async = conn.async();
            List<RedisFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                futures.add(async.set("pipe:" + i, Integer.toString(i)));
            }
            conn.flushCommands();
            assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(20), futures.toArray(new RedisFuture[0]))).isTrue();
            List<RedisFuture<String>> gets = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                gets.add(async.get("pipe:" + i));
            }
            conn.flushCommands();
            for (int i = 0; i < 1000; i++) {
                assertThat(gets.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(Integer.toString(i));
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void jedisPipelineOf1000CommandsOnOneProxyKeepsOrder() {
        try (Jedis direct = new Jedis("127.0.0.1", cluster.proxy1.port())) {
            Pipeline p = direct.pipelined();
            List<String> keys = new ArrayList<>();
            for (int i = 0; keys.size() < 1000; i++) {
                String k = "p1:" + i;
                if (SlotHash.slot(k) <= 8191) {
                    keys.add(k);
                }
            }
            for (int i = 0; i < keys.size(); i++) {
                p.set(keys.get(i), "v" + i);
                p.incr("{" + keys.get(i) + "}:n");
                p.get(keys.get(i));
            }
            List<Object> results = p.syncAndReturnAll();
            assertThat(results).hasSize(3000);
            for (int i = 0; i < keys.size(); i++) {
                assertThat(results.get(3 * i)).isEqualTo("OK");
                assertThat(results.get(3 * i + 2)).isEqualTo("v" + i);
            }
        }
    }

    @Test
    void sixteenMebibyteValuesRoundTrip() {
        byte[] big = new byte[16 * 1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >>> 11));
        }
        byte[] key = "big-value".getBytes();
        assertThat(jedis.set(key, big)).isEqualTo("OK");
        assertThat(jedis.get(key)).isEqualTo(big);
        assertThat(jedis.strlen(key)).isEqualTo(big.length);
    }

    @Test
    void blockingCommandsWaitForDataAndTimeOut() throws Exception {
        CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> jedis.blpop(10, "queue:1"));
        Thread.sleep(300);
        assertThat(popped).isNotDone();
        jedis.rpush("queue:1", "job");
        assertThat(popped.get(5, TimeUnit.SECONDS)).containsExactly("queue:1", "job");

        long t0 = System.nanoTime();
        assertThat(jedis.brpop(1, "queue:empty")).isNull();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(elapsedMs).isBetween(900L, 4000L);

        jedis.rpush("{q}src", "x");
        assertThat(jedis.brpoplpush("{q}src", "{q}dst", 1)).isEqualTo("x");
        assertThat(jedis.lrange("{q}dst", 0, -1)).containsExactly("x");
        // many blocked clients at once, each on its own backend connection
        List<CompletableFuture<List<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String q = "queue:many:" + i;
            waiting.add(CompletableFuture.supplyAsync(() -> jedis.blpop(10, q)));
        }
        Thread.sleep(300);
        for (int i = 0; i < 20; i++) {
            jedis.lpush("queue:many:" + i, "v" + i);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(waiting.get(i).get(5, TimeUnit.SECONDS)).containsExactly("queue:many:" + i, "v" + i);
        }
    }

    @Test
    void clusterCommandsDescribeBothProxies() {
        try (Jedis direct = new Jedis("127.0.0.1", cluster.proxy1.port())) {
            String nodes = direct.clusterNodes();
            assertThat(nodes).contains(cluster.address1() + "@5299 myself,master - 0 0 " + cluster.epoch + " connected 0-8191");
            assertThat(nodes).contains(cluster.address2() + "@5299 master - 0 0 " + cluster.epoch + " connected 8192-16383");
            assertThat(direct.clusterInfo()).contains("cluster_state:ok").contains("cluster_known_nodes:2");
            assertThat(direct.clusterKeySlot("a")).isEqualTo(15495);
            assertThat(direct.clusterMyId()).hasSize(40).startsWith("mycluster_");
            Set<String> owners = new HashSet<>();
            for (Object slot : direct.clusterSlots()) {
                List<?> entry = (List<?>) slot;
                owners.add(new String((byte[]) ((List<?>) entry.get(2)).get(0)) + ":" + ((List<?>) entry.get(2)).get(1));
            }
            assertThat(owners).containsExactlyInAnyOrder(cluster.address1(), cluster.address2());
            assertThatThrownBy(() -> direct.get("a")).hasMessageContaining("MOVED 15495 " + cluster.address2());
        }
    }
}
