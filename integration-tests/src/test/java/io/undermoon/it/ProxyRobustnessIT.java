package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.undermoon.model.SlotHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisDataException;

/** Failure and load behaviour of the proxy with real Redis. */
class ProxyRobustnessIT {

    private static String keyFor(int low, int high, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            int s = SlotHash.slot(k);
            if (s >= low && s <= high) {
                return k;
            }
        }
    }

    @Test
    void twoThousandConcurrentClients() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.start()) {
            int clients = 2000;
            List<Socket> sockets = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", cluster.proxy1.port()), 5000);
                    s.setSoTimeout(10000);
                    sockets.add(s);
                }
                // every client sends its SET before anyone reads: all 2000 are in flight together
                for (int i = 0; i < clients; i++) {
                    String key = keyFor(0, 8191, "c" + i + ":");
                    sockets.get(i).getOutputStream().write(resp("SET", key, "v" + i));
                }
                for (int i = 0; i < clients; i++) {
                    assertThat(TwoProxyCluster.readLine(sockets.get(i).getInputStream())).isEqualTo("+OK");
                }
                for (int i = 0; i < clients; i++) {
                    String key = keyFor(0, 8191, "c" + i + ":");
                    sockets.get(i).getOutputStream().write(resp("GET", key));
                }
                for (int i = 0; i < clients; i++) {
                    InputStream in = sockets.get(i).getInputStream();
                    assertThat(TwoProxyCluster.readLine(in)).isEqualTo("$" + ("v" + i).length());
                    assertThat(TwoProxyCluster.readLine(in)).isEqualTo("v" + i);
                }
                assertThat(cluster.proxy1.context().stats().connectedClients.get()).isGreaterThanOrEqualTo(clients);
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }

    @Test
    void backendKilledGivesAClearErrorAndRecoversWithoutRestart() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.start();
                Jedis client = new Jedis("127.0.0.1", cluster.proxy1.port())) {
            String key = keyFor(0, 8191, "k");
            assertThat(client.set(key, "before")).isEqualTo("OK");
            cluster.redis1.kill();
            assertThatThrownBy(() -> client.get(key)).isInstanceOf(JedisDataException.class)
                    .hasMessageContaining("ERR_BACKEND_CONNECTION: " + cluster.redis1.address());
            // the proxy keeps serving the other slots' MOVED and its own meta commands
            assertThat(client.ping()).isEqualTo("PONG");
            cluster.redis1.restart();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    assertThat(client.set(key, "after")).isEqualTo("OK"));
            assertThat(client.get(key)).isEqualTo("after");
        }
    }

    @Test
    void unresponsiveBackendTimesOut() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.start(Map.of("backend_timeout", 500));
                Jedis client = new Jedis("127.0.0.1", cluster.proxy1.port(), 10000)) {
            String key = keyFor(0, 8191, "t");
            assertThat(client.set(key, "x")).isEqualTo("OK");
            try (Jedis redis = new Jedis("127.0.0.1", cluster.redis1.port())) {
                redis.clientPause(3000);
            }
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> client.get(key)).hasMessageContaining("ERR_BACKEND_TIMEOUT");
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(2500);
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                    .untilAsserted(() -> assertThat(client.get(key)).isEqualTo("x"));
        }
    }

    @Test
    void newerEpochMovesSlotsWhileClientsRun() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.start()) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong ops = new AtomicLong();
            AtomicLong moves = new AtomicLong();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int id = w;
                workers.add(pool.submit(() -> {
                    try (JedisCluster jc = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", cluster.proxy1.port())), 5000, 10)) {
                        int i = 0;
                        while (!stop.get()) {
                            String key = "w" + id + ":" + (i++ % 500);
                            try {
                                long before = moves.get();
                                jc.set(key, "v" + i);
                                String got = jc.get(key);
                                // slots move without their data here, so only a write and read that
                                // no SETCLUSTER overlapped must agree
                                boolean clean = before % 2 == 0 && moves.get() == before;
                                if (clean && !("v" + i).equals(got)) {
                                    unexpected.add("read " + got + " for " + key + " after writing v" + i);
                                }
                                ops.incrementAndGet();
                            } catch (RuntimeException e) {
                                unexpected.add(e.toString());
                            }
                        }
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> ops.get() > 2000);
            // move 0-4095 to proxy 2, then move everything back in two steps
            moves.incrementAndGet();
            cluster.setCluster(2, "4096-8191", "0-4095 8192-16383");
            Thread.sleep(50);
            moves.incrementAndGet();
            long after2 = ops.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> ops.get() > after2 + 2000);
            moves.incrementAndGet();
            cluster.setCluster(3, "0-8191", "8192-16383");
            Thread.sleep(50);
            moves.incrementAndGet();
            long after3 = ops.get();
            await().atMost(Duration.ofSeconds(20)).until(() -> ops.get() > after3 + 2000);
            stop.set(true);
            for (Future<?> f : workers) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(unexpected).isEmpty();
            assertThat(TwoProxyCluster.inline(cluster.proxy1.port(), "UMCTL GETEPOCH")).isEqualTo(":3");
            assertThat(cluster.proxy1.context().stats().moved() + cluster.proxy2.context().stats().moved())
                    .as("clients were redirected after the moves").isPositive();
        }
    }

    @Test
    void olderEpochIsRefusedAndForeignMetadataRejected() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.start()) {
            int port = cluster.proxy1.port();
            assertThat(TwoProxyCluster.inline(port, "UMCTL SETCLUSTER v2 1 NOFLAG mycluster " + cluster.redis1.address()
                    + " 1 0-16383")).isEqualTo("-OLD_EPOCH");
            assertThat(TwoProxyCluster.inline(port, "UMCTL SETCLUSTER v2 9 NOFLAG mycluster 10.1.2.3:6379 1 0-16383"))
                    .isEqualTo("-ERR_NOT_MY_META");
            assertThat(TwoProxyCluster.inline(port, "UMCTL SETCLUSTER v3 9 NOFLAG mycluster " + cluster.redis1.address()
                    + " 1 0-16383")).isEqualTo("-Failed to parse args: InvalidVersion");
            assertThat(TwoProxyCluster.inline(port, "UMCTL SETCLUSTER v2 9 NOFLAG my.cluster " + cluster.redis1.address()
                    + " 1 0-16383")).isEqualTo("-Failed to parse args: InvalidClusterName");
            assertThat(TwoProxyCluster.inline(port, "UMCTL GETEPOCH")).isEqualTo(":1");
            assertThat(TwoProxyCluster.inline(port, "UMCTL SETCLUSTER v2 1 FORCE mycluster " + cluster.redis1.address()
                    + " 1 0-16383")).isEqualTo("+OK");
            assertThat(TwoProxyCluster.inline(port, "UMCTL NOPE")).isEqualTo("-Invalid sub command");
        }
    }

    @Test
    void malformedAndOversizedInputIsAnsweredAndClosed() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.start(Map.of("max_bulk_length", 1024, "max_array_length", 16))) {
            assertThat(exchange(cluster.proxy1.port(), "*1\r\n:5\r\n")).startsWith("-ERR Protocol error: expected '$'");
            assertThat(exchange(cluster.proxy1.port(), "*2\r\n$3\r\nGET\r\n$2000\r\n"))
                    .startsWith("-ERR Protocol error: invalid bulk length");
            assertThat(exchange(cluster.proxy1.port(), "*17\r\n")).startsWith("-ERR Protocol error: invalid multibulk length");
            // earlier commands on the same connection are still answered, in order
            String key = keyFor(0, 8191, "m");
            String reply = exchange(cluster.proxy1.port(), "PING\r\n*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key
                    + "\r\n$1\r\nv\r\n*1\r\n$abc\r\n");
            assertThat(reply).isEqualTo("+PONG\r\n+OK\r\n-ERR Protocol error: invalid bulk length\r\n");
            // the proxy is still healthy
            assertThat(TwoProxyCluster.inline(cluster.proxy1.port(), "GET " + key)).isEqualTo("$1");
        }
    }

    @Test
    void passwordProtectsEverythingButAuth() throws Exception {
        try (TwoProxyCluster c = TwoProxyCluster.startWithPassword("s3cret")) {
            try (Jedis client = new Jedis("127.0.0.1", c.proxy1.port())) {
                assertThatThrownBy(() -> client.get("b")).hasMessageContaining("NOAUTH");
                assertThatThrownBy(() -> client.auth("wrong")).hasMessageContaining("WRONGPASS");
                assertThat(client.auth("s3cret")).isEqualTo("OK");
                assertThat(client.set("b", "1")).isEqualTo("OK");
            }
            assertThat(TwoProxyCluster.inline(c.proxy1.port(), "UMCTL GETEPOCH")).startsWith("-NOAUTH");
        }
    }

    @Test
    void sessionTimeoutClosesIdleClientsOnly() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.start(Map.of("session_timeout", 500));
                Socket idle = new Socket("127.0.0.1", cluster.proxy1.port());
                Jedis busy = new Jedis("127.0.0.1", cluster.proxy1.port())) {
            idle.setSoTimeout(5000);
            long t0 = System.nanoTime();
            assertThat(idle.getInputStream().read()).isEqualTo(-1);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isBetween(300L, 3000L);
            String key = keyFor(0, 8191, "s");
            for (int i = 0; i < 10; i++) {
                busy.set(key, "x");
                Thread.sleep(200);
            }
            assertThat(busy.get(key)).isEqualTo("x");
        }
    }

    @Test
    void activeRedirectionForwardsToThePeerWithAHopLimit() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.startWithConfig(
                Map.of("active_redirection", true, "max_redirections", 4, "password", "pw"));
                Jedis client = new Jedis("127.0.0.1", cluster.proxy1.port())) {
            client.auth("pw");
            // "a" (slot 15495) belongs to proxy 2: proxy 1 forwards instead of answering MOVED
            assertThat(client.set("a", "forwarded")).isEqualTo("OK");
            assertThat(client.get("a")).isEqualTo("forwarded");
            try (Jedis redis2 = new Jedis("127.0.0.1", cluster.redis2.port())) {
                assertThat(redis2.get("a")).isEqualTo("forwarded");
            }
            assertThat(client.incr("{a}n")).isEqualTo(1);
            // a forwarded command with no hop left that would need another hop is refused
            String key = keyFor(8192, 16383, "x");
            assertThat(TwoProxyCluster.inlineAuthed(cluster.proxy1.port(), "pw", "UMFORWARD 0 GET " + key))
                    .isEqualTo("-ERR_TOO_MANY_REDIRECTIONS");
            assertThat(TwoProxyCluster.inlineAuthed(cluster.proxy2.port(), "pw", "UMFORWARD 1 SET " + key + " v"))
                    .isEqualTo("+OK");
            assertThat(TwoProxyCluster.inlineAuthed(cluster.proxy2.port(), "pw", "UMFORWARD x GET " + key))
                    .isEqualTo("-invalid redirection times");
            assertThat(TwoProxyCluster.inline(cluster.proxy2.port(), "UMFORWARD 1 GET " + key)).startsWith("-NOAUTH");
        }
    }

    @Test
    void prometheusMetricsCountWhatHappened() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.start(Map.of("metrics_address", "127.0.0.1:0"));
                Jedis client = new Jedis("127.0.0.1", cluster.proxy1.port())) {
            client.set(keyFor(0, 8191, "m"), "1");
            assertThatThrownBy(() -> client.get("a")).hasMessageContaining("MOVED");
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + cluster.proxy1.metricsPort()
                            + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("undermoon_proxy_moved_replies_total 1.0")
                    .contains("undermoon_proxy_epoch 1.0").contains("undermoon_proxy_covered_slots 16384.0")
                    .containsPattern("undermoon_proxy_forwarded_commands_total [1-9]");
        }
    }

    @Test
    void redisCliInClusterModeFollowsRedirections() throws Exception {
        try (TwoProxyCluster cluster = TwoProxyCluster.start()) {
            String port = Integer.toString(cluster.proxy1.port());
            assertThat(redisCli("-c", "-p", port, "SET", "a", "from-cli")).isEqualTo("OK");
            assertThat(redisCli("-c", "-p", port, "GET", "a")).isEqualTo("from-cli");
            assertThat(redisCli("-c", "-p", port, "SET", "b", "local")).isEqualTo("OK");
            assertThat(redisCli("-p", port, "GET", "a")).isEqualTo("MOVED 15495 " + cluster.address2());
        }
    }

    private static String redisCli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("redis-cli");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Writes raw bytes and returns everything the proxy sends until it closes the connection. */
    private static String exchange(int port, String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] resp(String... args) {
        StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static final CountDownLatch NEVER = new CountDownLatch(1);
}
