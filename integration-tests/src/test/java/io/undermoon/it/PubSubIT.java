package io.undermoon.it;

import static io.undermoon.it.FourRedisCluster.keyOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;

/**
 * Pub/sub over the two proxies of a four-Redis cluster: classic channels and patterns reach the
 * subscribers of every proxy of the cluster and of no other cluster; sharded channels by slot;
 * what a subscribed connection may do; PUBSUB merged over the cluster; and the limits (a
 * subscriber that does not read, a subscriber whose Redis dies or whose slot moves).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PubSubIT {
    private FourRedisCluster proxyMode;
    private FourRedisCluster clusterMode;

    @BeforeAll
    void start() throws Exception {
        proxyMode = FourRedisCluster.start("psp", Map.of("active_redirection", true));
        clusterMode = FourRedisCluster.start("psc", Map.of("pubsub_output_buffer_limit", 1024 * 1024));
    }

    @AfterAll
    void stop() {
        if (proxyMode != null) {
            proxyMode.close();
        }
        if (clusterMode != null) {
            clusterMode.close();
        }
    }

    /** A Jedis subscriber on its own thread; its messages land in {@link #messages}. */
    static final class Sub extends JedisPubSub implements AutoCloseable {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final java.util.concurrent.CountDownLatch subscribed = new java.util.concurrent.CountDownLatch(1);
        final Jedis jedis;
        final Thread thread;

        Sub(int port, String... channelsOrPatterns) throws InterruptedException {
            jedis = new Jedis("127.0.0.1", port);
            boolean patterns = channelsOrPatterns[0].contains("*");
            thread = Thread.ofVirtual().start(() -> {
                if (patterns) {
                    jedis.psubscribe(this, channelsOrPatterns);
                } else {
                    jedis.subscribe(this, channelsOrPatterns);
                }
            });
            assertThat(subscribed.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void onSubscribe(String channel, int n) {
            subscribed.countDown();
        }

        @Override
        public void onPSubscribe(String pattern, int n) {
            subscribed.countDown();
        }

        @Override
        public void onMessage(String channel, String message) {
            messages.add(channel + "=" + message);
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            messages.add(pattern + ":" + channel + "=" + message);
        }

        @Override
        public void close() throws InterruptedException {
            if (isSubscribed()) {
                punsubscribe();
                unsubscribe();
            }
            thread.join(5000);
            jedis.close();
        }
    }

    @Test
    void aMessageReachesSubscribersOnEveryProxyWithJedisLettuceAndRedisPy() throws Exception {
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", proxyMode.proxy2.port()));
        BlockingQueue<String> lettuceGot = new LinkedBlockingQueue<>();
        try (Sub on1 = new Sub(proxyMode.proxy1.port(), "news");
                Sub on2 = new Sub(proxyMode.proxy2.port(), "news", "other");
                Sub pattern = new Sub(proxyMode.proxy1.port(), "ne*");
                StatefulRedisPubSubConnection<String, String> lettuce = client.connectPubSub();
                Jedis publisher = new Jedis("127.0.0.1", proxyMode.proxy2.port())) {
            lettuce.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    lettuceGot.add(channel + "=" + message);
                }
            });
            lettuce.sync().subscribe("news");
            assertThat(publisher.publish("news", "hello")).as("receivers over both proxies").isEqualTo(4);
            assertThat(on1.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("news=hello");
            assertThat(on2.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("news=hello");
            assertThat(pattern.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("ne*:news=hello");
            assertThat(lettuceGot.poll(5, TimeUnit.SECONDS)).isEqualTo("news=hello");
            assertThat(publisher.pubsubNumSub("news", "other", "none"))
                    .isEqualTo(Map.of("news", 3L, "other", 1L, "none", 0L));
            assertThat(publisher.pubsubNumPat()).isEqualTo(1);
            assertThat(Set.copyOf(publisher.pubsubChannels())).isEqualTo(Set.of("news", "other"));
            String out = SystemPython.run("""
                    import sys, redis, time
                    sub = redis.Redis(host='127.0.0.1', port=int(sys.argv[1])).pubsub()
                    sub.subscribe('py')
                    print(sub.get_message(timeout=5)['type'])
                    pub = redis.Redis(host='127.0.0.1', port=int(sys.argv[2]))
                    print(pub.publish('py', 'from python'))
                    print(sub.get_message(timeout=5)['data'].decode())
                    """, Integer.toString(proxyMode.proxy1.port()), Integer.toString(proxyMode.proxy2.port()));
            assertThat(out.lines().toList()).containsExactly("subscribe", "1", "from python");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void lettuceClusterPubSubInClusterMode() throws Exception {
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", clusterMode.proxy1.port()));
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (StatefulRedisClusterPubSubConnection<String, String> conn = client.connectPubSub();
                Jedis publisher = new Jedis("127.0.0.1", clusterMode.proxy2.port())) {
            conn.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }
            });
            conn.sync().subscribe("lc");
            assertThat(publisher.publish("lc", "cluster client")).isEqualTo(1);
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("lc=cluster client");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anotherClusterDoesNotHearIt() throws Exception {
        try (Sub here = new Sub(proxyMode.proxy2.port(), "shared-name");
                RawConn there = new RawConn(clusterMode.proxy1.port());
                Jedis publisher = new Jedis("127.0.0.1", proxyMode.proxy1.port())) {
            assertThat(there.call("SUBSCRIBE", "shared-name")).isEqualTo(List.of("subscribe", "shared-name", 1L));
            assertThat(publisher.publish("shared-name", "only for psp")).isEqualTo(1);
            assertThat(here.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("shared-name=only for psp");
            assertThat(there.call("PING")).as("no message arrived before the pong").isEqualTo(List.of("pong", ""));
        }
    }

    @Test
    void aSubscribedConnectionAcceptsWhatRedisAccepts() throws Exception {
        try (RawConn c = new RawConn(clusterMode.proxy2.port())) {
            assertThat(c.call("UNSUBSCRIBE")).isEqualTo(java.util.Arrays.asList("unsubscribe", null, 0L));
            assertThat(c.call("SUBSCRIBE", "a", "b")).isEqualTo(List.of("subscribe", "a", 1L));
            assertThat(c.read()).isEqualTo(List.of("subscribe", "b", 2L));
            assertThat(c.call("GET", "x")).isEqualTo("-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE"
                    + " / PING / QUIT / RESET are allowed in this context");
            assertThat(c.call("MULTI")).asString().startsWith("-ERR Can't execute 'multi'");
            assertThat(c.call("PING", "hi")).isEqualTo(List.of("pong", "hi"));
            assertThat(c.call("PSUBSCRIBE", "p*")).isEqualTo(List.of("psubscribe", "p*", 3L));
            assertThat(c.call("UNSUBSCRIBE")).isIn(List.of("unsubscribe", "a", 2L), List.of("unsubscribe", "b", 2L));
            c.read();
            assertThat(c.call("PUNSUBSCRIBE")).isEqualTo(List.of("punsubscribe", "p*", 0L));
            assertThat(c.call("SET", keyOn(2, "k"), "v")).as("out of subscribed state again").isEqualTo("+OK");
        }
    }

    @Test
    void shardedChannelsFollowTheirSlot() throws Exception {
        String channel = keyOn(3, "shard");
        try (RawConn c = new RawConn(clusterMode.proxy1.port())) {
            assertThat((String) c.call("SSUBSCRIBE", channel)).startsWith("-MOVED ").endsWith(clusterMode.address2());
            assertThat(c.call("SSUBSCRIBE", keyOn(0, "a"), keyOn(1, "b"))).isEqualTo("-CROSSSLOT Keys in request don't hash to the same slot");
        }
        BlockingQueue<String> got = new LinkedBlockingQueue<>();
        JedisShardedPubSub listener = new JedisShardedPubSub() {
            @Override
            public void onSMessage(String ch, String message) {
                got.add(ch + "=" + message);
            }
        };
        try (JedisCluster cluster = new JedisCluster(new HostAndPort("127.0.0.1", clusterMode.proxy1.port()));
                RawConn viaPeer = new RawConn(proxyMode.proxy1.port());
                RawConn proxy2 = new RawConn(proxyMode.proxy2.port())) {
            Thread t = Thread.ofVirtual().start(() -> cluster.ssubscribe(listener, channel));
            for (int i = 0; i < 50 && !listener.isSubscribed(); i++) {
                Thread.sleep(100);
            }
            assertThat(cluster.spublish(channel, "by slot")).isEqualTo(1);
            assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo(channel + "=by slot");
            listener.sunsubscribe();
            t.join(5000);
            // proxy mode: the subscription of a peer's slot goes through the peer proxy
            assertThat(viaPeer.call("SSUBSCRIBE", channel)).isEqualTo(List.of("ssubscribe", channel, 1L));
            assertThat(proxy2.call("SPUBLISH", channel, "through the peer")).isEqualTo(1L);
            assertThat(viaPeer.read()).isEqualTo(List.of("smessage", channel, "through the peer"));
            assertThat(proxy2.call("PUBSUB", "SHARDNUMSUB", channel)).isEqualTo(List.of(channel, 1L));
        }
    }

    @Test
    void aSubscriberThatDoesNotReadIsDisconnectedAndOthersAreServed() throws Exception {
        try (RawConn slow = new RawConn(clusterMode.proxy1.port());
                Jedis publisher = new Jedis("127.0.0.1", clusterMode.proxy2.port());
                Jedis other = new Jedis("127.0.0.1", clusterMode.proxy1.port())) {
            assertThat(slow.call("SUBSCRIBE", "flood")).isEqualTo(List.of("subscribe", "flood", 1L));
            String payload = "x".repeat(64 * 1024);
            long delivered = 0;
            for (int i = 0; i < 400; i++) {
                delivered += publisher.publish("flood", payload);
                if (i % 100 == 0) {
                    assertThat(other.set(keyOn(0, "alive"), "yes")).isEqualTo("OK");
                }
            }
            assertThat(delivered).as("the subscriber was dropped on the way").isLessThan(400);
            assertThat(readUntilClosed(slow.socket.getInputStream())).as("bytes the slow subscriber got before the close")
                    .isLessThan(400L * payload.length());
            assertThat(other.get(keyOn(0, "alive"))).isEqualTo("yes");
        }
    }

    @Test
    void aSubscriberIsDisconnectedWhenItsRedisDiesOrItsSlotMoves() throws Exception {
        try (FourRedisCluster c = FourRedisCluster.start("psx", Map.of("session_timeout", 300))) {
            String shard = keyOn(1, "moving");
            try (RawConn classic = new RawConn(c.proxy1.port()); RawConn sharded = new RawConn(c.proxy1.port())) {
                assertThat(classic.call("SUBSCRIBE", "ch")).isEqualTo(List.of("subscribe", "ch", 1L));
                assertThat(sharded.call("SSUBSCRIBE", shard)).isEqualTo(List.of("ssubscribe", shard, 1L));
                Thread.sleep(1000);
                assertThat(classic.call("PING")).as("session_timeout never closes a subscriber").isEqualTo(List.of("pong", ""));
                // slot range 4096-8191 moves to proxy 2: the sharded subscriber is told by a close
                String moved = "UMCTL SETCLUSTER v2 2 NOFLAG psx " + c.redis.get(0).address() + " 1 0-4095 "
                        + c.redis.get(1).address() + " 1 4096-4096 PEER " + c.address2() + " 1 4097-16383";
                assertThat(TwoProxyCluster.inline(c.proxy1.port(), moved)).isEqualTo("+OK");
                assertThat(readUntilClosed(sharded.socket.getInputStream())).isZero();
                String home = c.redis.get(0).address().compareTo(c.redis.get(1).address()) < 0 ? "0" : "1";
                c.redis.get(Integer.parseInt(home)).close();
                assertThat(readUntilClosed(classic.socket.getInputStream())).isZero();
            }
        }
    }

    private static long readUntilClosed(InputStream in) throws IOException {
        long n = 0;
        byte[] buf = new byte[65536];
        int r;
        while ((r = in.read(buf)) >= 0) {
            n += r;
        }
        return n;
    }
}
