package io.undermoon.it;

import static io.undermoon.it.FourRedisCluster.keyOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import io.undermoon.model.SlotHash;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Transaction;

/**
 * MULTI/EXEC/DISCARD/WATCH through the proxies of a four-Redis cluster: Redis Cluster's replies in
 * cluster mode (MOVED, CROSSSLOT, EXECABORT), transactions forwarded to the owning proxy in proxy
 * mode (Jedis, Lettuce, redis-py), WATCH conflicts, and the bound on queued commands.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransactionsIT {
    private FourRedisCluster clusterMode;
    private FourRedisCluster proxyMode;

    @BeforeAll
    void start() throws Exception {
        clusterMode = FourRedisCluster.start("txc", Map.of("max_transaction_commands", 1000));
        proxyMode = FourRedisCluster.start("txp", Map.of("active_redirection", true));
    }

    @AfterAll
    void stop() {
        if (clusterMode != null) {
            clusterMode.close();
        }
        if (proxyMode != null) {
            proxyMode.close();
        }
    }

    @Test
    void repliesMatchRedisClusterInEveryCase() throws Exception {
        String k = keyOn(0, "t");
        String other = keyOn(1, "o");
        String remote = keyOn(2, "r");
        try (RawConn c = new RawConn(clusterMode.proxy1.port())) {
            assertThat(c.call("EXEC")).isEqualTo("-ERR EXEC without MULTI");
            assertThat(c.call("DISCARD")).isEqualTo("-ERR DISCARD without MULTI");
            assertThat(c.call("MULTI")).isEqualTo("+OK");
            assertThat(c.call("MULTI")).isEqualTo("-ERR MULTI calls can not be nested");
            assertThat(c.call("WATCH", k)).isEqualTo("-ERR WATCH inside MULTI is not allowed");
            assertThat(c.call("SET", k, "v")).isEqualTo("+QUEUED");
            assertThat(c.call("GET", k)).isEqualTo("+QUEUED");
            assertThat(c.call("PING")).isEqualTo("+QUEUED");
            assertThat(c.call("EXEC")).isEqualTo(List.of("+OK", "v", "+PONG"));

            assertThat(c.call("MULTI")).isEqualTo("+OK");
            assertThat(c.call("EXEC")).as("an empty transaction").isEqualTo(List.of());

            assertThat(c.call("MULTI")).isEqualTo("+OK");
            assertThat(c.call("SET", k, "1")).isEqualTo("+QUEUED");
            assertThat(c.call("SET", other, "1")).isEqualTo("+QUEUED");
            assertThat(c.call("EXEC")).as("keys of two slots").isEqualTo("-CROSSSLOT Keys in request don't hash to the same slot");

            assertThat(c.call("MULTI")).isEqualTo("+OK");
            assertThat((String) c.call("SET", remote, "1")).startsWith("-MOVED ").endsWith(clusterMode.address2());
            assertThat(c.call("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of previous errors.");

            assertThat(c.call("MULTI")).isEqualTo("+OK");
            assertThat(c.call("FOO")).isEqualTo("-ERR unknown command 'FOO', with args beginning with:");
            assertThat(c.call("SET", k)).isEqualTo("-ERR wrong number of arguments for 'set' command");
            assertThat(c.call("MGET", k, other)).isEqualTo("-CROSSSLOT Keys in request don't hash to the same slot");
            assertThat(c.call("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of previous errors.");

            assertThat(c.call("MULTI")).isEqualTo("+OK");
            assertThat(c.call("INCR", k)).isEqualTo("+QUEUED");
            assertThat(c.call("DISCARD")).isEqualTo("+OK");
            assertThat(c.call("GET", k)).as("the discarded INCR did not run").isEqualTo("v");

            assertThat(c.call("MULTI")).isEqualTo("+OK");
            assertThat(c.call("INCR", k)).isEqualTo("+QUEUED");
            assertThat(c.call("SET", k, "2")).isEqualTo("+QUEUED");
            List<?> r = (List<?>) c.call("EXEC");
            assertThat((String) r.get(0)).as("a runtime error stays inside EXEC's reply").startsWith("-ERR value is not an integer");
            assertThat(r.get(1)).isEqualTo("+OK");
        }
    }

    @Test
    void watchDetectsAConcurrentWriteAndEveryRunIsAtomic() throws Exception {
        String k = keyOn(1, "w");
        try (Jedis a = new Jedis("127.0.0.1", clusterMode.proxy1.port());
                Jedis b = new Jedis("127.0.0.1", clusterMode.proxy1.port())) {
            a.set(k, "0");
            a.watch(k);
            b.set(k, "changed");
            Transaction t = a.multi();
            t.set(k, "mine");
            assertThat(t.exec()).as("aborted by the write after WATCH").isNull();
            assertThat(a.get(k)).isEqualTo("changed");
            a.watch(k);
            Transaction t2 = a.multi();
            t2.set(k, "mine");
            t2.get(k);
            assertThat(t2.exec()).containsExactly("OK", "mine");
            assertThat(a.unwatch()).isEqualTo("OK");
            a.watch(k);
            assertThatThrownBy(() -> a.watch(keyOn(0, "x"))).as("a second WATCH in another slot")
                    .hasMessageStartingWith("CROSSSLOT");
            assertThat(a.unwatch()).isEqualTo("OK");
            assertThat(a.get(k)).isEqualTo("mine");
        }
    }

    @Test
    void jedisClusterRunsATransactionOnTheConnectionOfTheSlotsNode() {
        String k = keyOn(3, "jc");
        try (JedisCluster jc = new JedisCluster(new HostAndPort("127.0.0.1", clusterMode.proxy1.port()));
                Connection conn = jc.getConnectionFromSlot(SlotHash.slot(k)); Jedis node = new Jedis(conn)) {
            Transaction t = node.multi();
            t.set(k, "1");
            t.incrBy(k, 9);
            assertThat(t.exec()).containsExactly("OK", 10L);
            assertThat(jc.get(k)).isEqualTo("10");
        }
    }

    @Test
    void aSlotBeingMigratedAnswersTryAgainRatherThanRunningIt() throws Exception {
        try (FourRedisCluster c = FourRedisCluster.start("txm", Map.of())) {
            String r1 = c.redis.get(1).address();
            String migrating = "UMCTL SETCLUSTER v2 2 NOFLAG txm " + c.redis.get(0).address() + " 1 0-4095 " + r1
                    + " MIGRATING 1 4096-8191 2 " + c.address1() + " " + r1 + " " + c.address2() + " " + c.redis.get(2).address()
                    + " PEER " + c.address2() + " 1 8192-16383";
            assertThat(TwoProxyCluster.inline(c.proxy1.port(), migrating)).isEqualTo("+OK");
            String k = keyOn(1, "m");
            try (RawConn conn = new RawConn(c.proxy1.port())) {
                assertThat(conn.call("MULTI")).isEqualTo("+OK");
                assertThat(conn.call("INCR", k)).isEqualTo("+QUEUED");
                assertThat((String) conn.call("EXEC")).startsWith("-TRYAGAIN slot ");
                assertThat((String) conn.call("WATCH", k)).startsWith("-TRYAGAIN slot ");
                assertThat((String) conn.call("SSUBSCRIBE", k)).startsWith("-TRYAGAIN slot ");
                assertThat(conn.call("PING")).isEqualTo("+PONG");
            }
        }
    }

    @Test
    void aHugeTransactionIsCutOffWithAClearErrorAndOthersAreServed() throws Exception {
        String k = keyOn(0, "huge");
        int n = 5_000;
        try (RawConn c = new RawConn(clusterMode.proxy1.port()); Jedis other = new Jedis("127.0.0.1", clusterMode.proxy1.port())) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            batch.write(RawConn.encode("MULTI"));
            for (int i = 0; i < n; i++) {
                batch.write(RawConn.encode("RPUSH", k, "element-" + i));
            }
            batch.write(RawConn.encode("EXEC"));
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.sendRaw(batch.toByteArray());
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            assertThat(c.read()).isEqualTo("+OK");
            int queued = 0;
            String error = null;
            for (int i = 0; i < n; i++) {
                Object r = c.read();
                if ("+QUEUED".equals(r)) {
                    queued++;
                } else {
                    assertThat(error).as("one error only").isNull();
                    error = (String) r;
                }
                if (i == n / 2) {
                    other.set(keyOn(1, "o"), "served");
                    assertThat(other.get(keyOn(1, "o"))).isEqualTo("served");
                }
            }
            writer.join();
            assertThat(queued).isEqualTo(n - 1);
            assertThat(error).startsWith("-ERR transaction too large for the undermoon proxy: at most 1000 commands");
            assertThat(c.read()).isEqualTo("-EXECABORT Transaction discarded because of previous errors.");
            assertThat(c.call("LLEN", k)).as("nothing of it ran").isEqualTo(0L);
            assertThat(c.call("PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void proxyModeRunsTheTransactionOnTheOwningProxyWithJedisLettuceAndRedisPy() throws Exception {
        String k = keyOn(3, "p");
        try (Jedis j = new Jedis("127.0.0.1", proxyMode.proxy1.port()); Jedis j2 = new Jedis("127.0.0.1", proxyMode.proxy2.port())) {
            Transaction t = j.multi();
            t.set(k, "10");
            t.incrBy(k, 5);
            assertThat(t.exec()).containsExactly("OK", 15L);
            try (Jedis owner = new Jedis("127.0.0.1", proxyMode.redis.get(3).port())) {
                assertThat(owner.get(k)).as("it ran on the Redis of the slot, behind proxy 2").isEqualTo("15");
            }
            j.watch(k);
            j2.incr(k);
            Transaction t2 = j.multi();
            t2.set(k, "lost");
            assertThat(t2.exec()).as("WATCH held through the owning proxy").isNull();
            assertThat(j.get(k)).isEqualTo("16");
        }
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", proxyMode.proxy2.port()));
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            String lk = keyOn(0, "l");
            sync.multi();
            sync.rpush(lk, "a", "b");
            sync.lrange(lk, 0, -1);
            TransactionResult r = sync.exec();
            assertThat(r.wasDiscarded()).isFalse();
            assertThat((Object) r.get(0)).isEqualTo(2L);
            assertThat(r.get(1).toString()).isEqualTo("[a, b]");
        } finally {
            client.shutdown();
        }
        String out = SystemPython.run("""
                import sys, redis
                r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]))
                k = sys.argv[2]
                r.set(k, 1)
                def incr(pipe):
                    v = int(pipe.get(k))
                    pipe.multi()
                    pipe.set(k, v + 41)
                r.transaction(incr, k)
                with r.pipeline(transaction=True) as p:
                    p.incr(k)
                    p.get(k)
                    print(p.execute())
                """, Integer.toString(proxyMode.proxy1.port()), keyOn(2, "py"));
        assertThat(out.strip()).isEqualTo("[43, b'43']");
    }
}
