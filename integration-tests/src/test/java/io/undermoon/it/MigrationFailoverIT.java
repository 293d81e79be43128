package io.undermoon.it;

import io.undermoon.testkit.ClusterProbe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undermoon.model.SlotHash;
import io.undermoon.proxy.ServerProxy;
import io.undermoon.process.RedisProcess;
import io.undermoon.testkit.Resp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A failover during a migration restarts it under a new identity (new epoch, the failed side's
 * node replaced by its promoted replica), as the broker does. Once the range had been switched to
 * the destination, the destination's Redis holds the newest values; the restarted migration must
 * not send clients back to the source for them (found by the chaos harness: reads saw old values or
 * none, and writes made on the source were then dropped by the copy).
 */
class MigrationFailoverIT {
    private static final String RANGE = "4096-8191";
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable r : resources.reversed()) {
            r.close();
        }
    }

    private RedisProcess redis() {
        RedisProcess r = RedisProcess.start();
        resources.add(r);
        return r;
    }

    private ServerProxy proxy() throws Exception {
        ServerProxy p = TwoProxyCluster.startProxy(Map.of());
        resources.add(p);
        return p;
    }

    private static String infomgr(int port) throws Exception {
        return String.valueOf(Resp.command("127.0.0.1", port, "UMCTL", "INFOMGR"));
    }

    private static String address(ServerProxy p) {
        return "127.0.0.1:" + p.port();
    }

    private static void send(ServerProxy p, String setCluster) throws Exception {
        assertThat(TwoProxyCluster.inline(p.port(), setCluster)).as(setCluster).isEqualTo("+OK");
    }

    private static String meta(long epoch, ServerProxy src, RedisProcess srcNode, ServerProxy dst, RedisProcess dstNode) {
        return epoch + " " + address(src) + " " + srcNode.address() + " " + address(dst) + " " + dstNode.address();
    }

    /** The migration of 4096-8191 at epoch 2 from (p1, s) to (p2, d), switched and finished on both sides. */
    private static void migrateAndFinish(ServerProxy p1, RedisProcess s, ServerProxy p2, RedisProcess d) throws Exception {
        startMigration(p1, s, p2, d, "");
        await().atMost(Duration.ofSeconds(30)).until(() -> infomgr(p1.port()).contains("MIGRATING")
                && infomgr(p2.port()).contains("IMPORTING"));
    }

    /** Starts the migration of 4096-8191 at epoch 2 from (p1, s) to (p2, d); {@code config}: " CONFIG ..." or "". */
    private static void startMigration(ServerProxy p1, RedisProcess s, ServerProxy p2, RedisProcess d, String config)
            throws Exception {
        String m = meta(2, p1, s, p2, d);
        send(p2, "UMCTL SETCLUSTER v2 2 NOFLAG mycluster " + d.address() + " 1 8192-16383 " + d.address() + " IMPORTING 1 "
                + RANGE + " " + m + " PEER " + address(p1) + " 1 0-4095 " + address(p1) + " MIGRATING 1 " + RANGE + " " + m
                + config);
        send(p1, "UMCTL SETCLUSTER v2 2 NOFLAG mycluster " + s.address() + " 1 0-4095 " + s.address() + " MIGRATING 1 "
                + RANGE + " " + m + " PEER " + address(p2) + " 1 8192-16383 " + address(p2) + " IMPORTING 1 " + RANGE + " " + m
                + config);
    }

    /** Keys of the migrating range, written with value v1 through the source before the migration. */
    private static List<String> keysInRange(int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < n; i++) {
            int slot = SlotHash.slot("k" + i);
            if (slot >= 4096 && slot <= 8191) {
                keys.add("k" + i);
            }
        }
        return keys;
    }

    private static void replicate(RedisProcess replica, RedisProcess master) throws Exception {
        assertThat(Resp.command(replica.address(), "REPLICAOF", "127.0.0.1", Integer.toString(master.port()))).isEqualTo("+OK");
        await().atMost(Duration.ofSeconds(30)).until(() -> String.valueOf(Resp.command(replica.address(), "INFO", "replication"))
                .contains("master_link_status:up"));
    }

    private static void promote(RedisProcess replica, RedisProcess master) throws Exception {
        // WAIT on a fresh connection (no writes of its own) returns at once: wait for the offsets
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!ClusterProbe.replicaCaughtUp(master)) {
            assertThat(System.nanoTime()).as("the replica caught up within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        assertThat(Resp.command(replica.address(), "REPLICAOF", "NO", "ONE")).isEqualTo("+OK");
    }

    @Test
    void afterTheSourceFailedOverTheDestinationKeepsServingTheSwitchedRange() throws Exception {
        RedisProcess s = redis();
        RedisProcess sReplica = redis();
        RedisProcess d = redis();
        ServerProxy p1 = proxy();
        ServerProxy p2 = proxy();
        ServerProxy p3 = proxy(); // the source's chunk partner, which holds the source's replica
        replicate(sReplica, s);
        send(p1, "UMCTL SETCLUSTER v2 1 NOFLAG mycluster " + s.address() + " 1 0-8191 PEER " + address(p2) + " 1 8192-16383");
        send(p2, "UMCTL SETCLUSTER v2 1 NOFLAG mycluster " + d.address() + " 1 8192-16383 PEER " + address(p1) + " 1 0-8191");
        send(p3, "UMCTL SETCLUSTER v2 1 NOFLAG mycluster PEER " + address(p1) + " 1 0-8191 PEER " + address(p2) + " 1 8192-16383");
        List<String> keys = keysInRange(50);
        for (String k : keys) {
            assertThat(Resp.command(address(p1), "SET", k, "v1")).isEqualTo("+OK");
        }
        migrateAndFinish(p1, s, p2, d);
        for (String k : keys) {
            assertThat(Resp.command(address(p2), "SET", k, "v2")).isEqualTo("+OK"); // the range is served by p2 now
        }
        // a key the copy had not reached yet when the source died: only on the source's replica
        String late = keysInRange(51).getLast();
        assertThat(Resp.command(s.address(), "SET", late, "late")).isEqualTo("+OK");
        promote(sReplica, s);
        p1.close(); // the source proxy dies; the broker promotes its replica on p3 and bumps the migration

        String m = meta(3, p3, sReplica, p2, d);
        send(p2, "UMCTL SETCLUSTER v2 3 NOFLAG mycluster " + d.address() + " 1 8192-16383 " + d.address() + " IMPORTING 1 "
                + RANGE + " " + m + " PEER " + address(p3) + " 1 0-4095 " + address(p3) + " MIGRATING 1 " + RANGE + " " + m);
        // p3 has not been told yet: the destination still serves what it holds, with the newest values
        for (String k : keys) {
            assertThat(Resp.command(address(p2), "GET", k)).as("GET " + k + " on the destination").isEqualTo("v2");
        }
        // a key only the new source's Redis has is pulled from it at once (MIGRATE from that Redis),
        // even before the new source proxy knows its task
        assertThat(Resp.command(address(p2), "GET", late)).isEqualTo("late");
        assertThat(Resp.command(sReplica.address(), "EXISTS", late)).isEqualTo(":0");
        send(p3, "UMCTL SETCLUSTER v2 3 NOFLAG mycluster " + sReplica.address() + " 1 0-4095 " + sReplica.address()
                + " MIGRATING 1 " + RANGE + " " + m + " PEER " + address(p2) + " 1 8192-16383 " + address(p2) + " IMPORTING 1 "
                + RANGE + " " + m);
        // a delete goes through UMSYNC, which waits until the new source proxy knows its task
        String lateToo = keysInRange(52).getLast();
        assertThat(Resp.command(sReplica.address(), "SET", lateToo, "x")).isEqualTo("+OK");
        assertThat(Resp.command(address(p2), "DEL", lateToo)).isEqualTo(":1");
        assertThat(Resp.command(sReplica.address(), "EXISTS", lateToo)).isEqualTo(":0");
        await().atMost(Duration.ofSeconds(30)).until(() -> infomgr(p3.port()).contains("MIGRATING")
                && infomgr(p2.port()).contains("IMPORTING"));
        for (String k : keys) {
            assertThat(Resp.command(address(p2), "GET", k)).as("GET " + k + " after the restarted migration").isEqualTo("v2");
        }
    }

    @Test
    void afterTheDestinationFailedOverTheSourceNeverServesTheSwitchedRangeAgain() throws Exception {
        RedisProcess s = redis();
        RedisProcess d = redis();
        RedisProcess dReplica = redis();
        ServerProxy p1 = proxy();
        ServerProxy p2 = proxy();
        ServerProxy p4 = proxy(); // the destination's chunk partner, which holds the destination's replica
        replicate(dReplica, d);
        send(p1, "UMCTL SETCLUSTER v2 1 NOFLAG mycluster " + s.address() + " 1 0-8191 PEER " + address(p2) + " 1 8192-16383");
        send(p2, "UMCTL SETCLUSTER v2 1 NOFLAG mycluster " + d.address() + " 1 8192-16383 PEER " + address(p1) + " 1 0-8191");
        List<String> keys = keysInRange(50);
        for (String k : keys) {
            assertThat(Resp.command(address(p1), "SET", k, "v1")).isEqualTo("+OK");
        }
        migrateAndFinish(p1, s, p2, d);
        for (String k : keys) {
            assertThat(Resp.command(address(p2), "SET", k, "v2")).isEqualTo("+OK");
        }
        promote(dReplica, d);
        p2.close(); // the destination proxy dies; its replica on p4 is promoted

        String m = meta(3, p1, s, p4, dReplica);
        // the source hears of the restarted migration first (the push to the destination was delayed)
        send(p1, "UMCTL SETCLUSTER v2 3 NOFLAG mycluster " + s.address() + " 1 0-4095 " + s.address() + " MIGRATING 1 "
                + RANGE + " " + m + " PEER " + address(p4) + " 1 8192-16383 " + address(p4) + " IMPORTING 1 " + RANGE + " " + m);
        String key = keys.getFirst();
        CompletableFuture<Object> read = CompletableFuture.supplyAsync(() -> {
            try {
                return Resp.command(address(p1), "GET", key);
            } catch (Exception e) {
                return e;
            }
        });
        Thread.sleep(300);
        assertThat(read).as("the source holds the switched range instead of serving its stale copy").isNotDone();
        send(p4, "UMCTL SETCLUSTER v2 3 NOFLAG mycluster " + dReplica.address() + " 1 8192-16383 " + dReplica.address()
                + " IMPORTING 1 " + RANGE + " " + m + " PEER " + address(p1) + " 1 0-4095 " + address(p1) + " MIGRATING 1 "
                + RANGE + " " + m);
        assertThat(String.valueOf(read.get(10, TimeUnit.SECONDS))).startsWith("-MOVED").endsWith(address(p4));
        assertThat(Resp.command(address(p4), "GET", key)).isEqualTo("v2");
        await().atMost(Duration.ofSeconds(30)).until(() -> infomgr(p1.port()).contains("MIGRATING"));
        for (String k : keys) {
            assertThat(Resp.command(address(p4), "GET", k)).as("GET " + k).isEqualTo("v2");
        }
    }

    /**
     * The destination proxy dies while the scan runs, its Redis lives on, and its replica is
     * promoted in its place (what the broker does). Keys moved to the orphaned Redis after that
     * promotion would be gone from the cluster: the scan must stop moving as soon as the importing
     * proxy stops confirming the switch (found by the chaos harness: ballast keys lost after a
     * proxy restart during a scale-out).
     */
    @Test
    void theScanMovesNothingOnceTheDestinationProxyIsGone() throws Exception {
        RedisProcess s = redis();
        RedisProcess d = redis();
        RedisProcess dReplica = redis();
        ServerProxy p1 = proxy();
        ServerProxy p2 = proxy();
        replicate(dReplica, d);
        List<String> keys = keysInRange(2000);
        for (String k : keys) {
            assertThat(Resp.command(s.address(), "SET", k, "v")).isEqualTo("+OK");
        }
        // clients keep the source busy, so the scan is paced: one step of about 4 keys every 50 ms
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread load = Thread.ofVirtual().start(() -> {
            try (Jedis j = new Jedis("127.0.0.1", s.port())) {
                while (loading.get()) {
                    j.ping();
                }
            }
        });
        resources.add(() -> {
            loading.set(false);
            load.join();
        });
        startMigration(p1, s, p2, d, " CONFIG migration_scan_interval 50000 migration_scan_count 4");
        await().atMost(Duration.ofSeconds(30)).until(() -> dbsize(d) >= 20);

        p2.close(); // the destination proxy dies, its Redis does not
        Thread.sleep(200); // the coordinator would need at least this long to notice and promote
        promote(dReplica, d);
        long atPromotion = dbsize(d);
        Thread.sleep(1000); // the source has not heard of the new metadata yet

        assertThat(dbsize(d)).as("keys moved to the orphaned destination after the promotion").isEqualTo(atPromotion);
        List<String> lost = new ArrayList<>();
        for (String k : keys) {
            if (":0".equals(Resp.command(s.address(), "EXISTS", k)) && ":0".equals(Resp.command(dReplica.address(), "EXISTS", k))) {
                lost.add(k);
            }
        }
        assertThat(lost).as("keys neither on the source nor on the promoted destination").isEmpty();
        assertThat(String.valueOf(Resp.command(address(p1), "UMCTL", "STATS")))
                .containsPattern("migrating_destination_unconfirmed: [1-9]");
    }

    private static long dbsize(RedisProcess r) throws Exception {
        return Long.parseLong(String.valueOf(Resp.command(r.address(), "DBSIZE")).substring(1));
    }
}
