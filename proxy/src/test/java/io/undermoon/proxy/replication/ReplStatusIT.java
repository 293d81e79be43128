package io.undermoon.proxy.replication;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.model.umctl.ReplStatus;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ServerProxy;
import io.undermoon.process.FreePorts;
import io.undermoon.process.RedisProcess;
import io.undermoon.testkit.Resp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code UMCTL REPLSTATUS} and {@code fast_first_sync} against real Redis with Redis's default
 * {@code repl-diskless-sync-delay} of 5 s: a replica is reported not synced until its first sync has
 * completed; the proxy shortens that wait on the master unless turned off; a Redis that refuses
 * CONFIG keeps its roles and the refusal is logged once.
 */
class ReplStatusIT {
    /** Redis's default, which the test Redis otherwise set to 0. */
    private static final String[] DEFAULT_DELAY = {"--repl-diskless-sync-delay", "5"};

    private static ServerProxy proxy(boolean fastFirstSync, String metrics) throws Exception {
        String address = "127.0.0.1:" + FreePorts.next();
        Map<String, Object> conf = new HashMap<>(Map.of("address", address, "announce_address", address,
                "thread_number", 1L, "fast_first_sync", fastFirstSync, "replication_interval", 60_000L));
        if (metrics != null) {
            conf.put("metrics_address", metrics);
        }
        return ServerProxy.start(ProxyConfig.load(ConfigSource.of(conf)));
    }

    private static String address(ServerProxy p) {
        return "127.0.0.1:" + p.port();
    }

    /** SETREPL: {@code master} is a master with replica {@code replica}, both on this proxy. */
    private static void setRepl(ServerProxy p, long epoch, RedisProcess master, RedisProcess replica) throws Exception {
        String self = address(p);
        assertThat(Resp.command(self, "UMCTL", "SETREPL", Long.toString(epoch), "NOFLAG",
                "master", "c", master.address(), "1", replica.address(), self,
                "replica", "c", replica.address(), "1", master.address(), self)).isEqualTo("+OK");
    }

    private static List<ReplStatus> statuses(ServerProxy p) throws Exception {
        List<ReplStatus> out = new ArrayList<>();
        for (Object line : (List<?>) Resp.command(address(p), "UMCTL", "REPLSTATUS")) {
            out.add(ReplStatus.parse((String) line));
        }
        return out;
    }

    private static ReplStatus.Replica replicaStatus(ServerProxy p) throws Exception {
        return statuses(p).stream().filter(s -> s instanceof ReplStatus.Replica).map(s -> (ReplStatus.Replica) s)
                .findFirst().orElseThrow();
    }

    private static ReplStatus.Master masterStatus(ServerProxy p) throws Exception {
        return statuses(p).stream().filter(s -> s instanceof ReplStatus.Master).map(s -> (ReplStatus.Master) s)
                .findFirst().orElseThrow();
    }

    private static long await(String what, Duration timeout, CheckedCondition c) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (!c.holds()) {
            assertThat(System.nanoTime()).as(what + " within " + timeout).isLessThan(deadline);
            Thread.sleep(20);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @FunctionalInterface
    private interface CheckedCondition {
        boolean holds() throws Exception;
    }

    @Test
    void withRedisDefaultsAReplicaIsNotSyncedForTheDelayThenSyncedAndTheMetricsSayIt() throws Exception {
        try (RedisProcess m = RedisProcess.start(DEFAULT_DELAY); RedisProcess r = RedisProcess.start(DEFAULT_DELAY);
                ServerProxy p = proxy(false, "127.0.0.1:0")) {
            Resp.command(m.address(), "SET", "k", "v");
            long t0 = System.nanoTime();
            setRepl(p, 1, m, r);
            // unknown until its REPLICAOF was answered (a new master: not synced)
            await("the replica is known", Duration.ofSeconds(5),
                    () -> statuses(p).size() == 2 && replicaStatus(p).synced() != ReplStatus.Synced.UNKNOWN);
            ReplStatus.Replica early = replicaStatus(p);
            assertThat(early.master()).isEqualTo(m.address());
            assertThat(early.synced()).isEqualTo(ReplStatus.Synced.NO);
            assertThat(early.linkUp()).isFalse();
            assertThat(masterStatus(p).replicasOnline()).isZero();
            String metrics = metrics(p);
            assertThat(metrics).contains("undermoon_replica_synced{master=\"" + m.address() + "\",node=\"" + r.address() + "\"} 0.0")
                    .contains("undermoon_masters_without_online_replica 1.0");

            await("the replica synced", Duration.ofSeconds(20), () -> replicaStatus(p).synced() == ReplStatus.Synced.YES);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("Redis waited its 5 s delay: CONFIG was left alone").isGreaterThan(4000);
            assertThat(Resp.command(m.address(), "CONFIG", "GET", "repl-diskless-sync-delay")).isEqualTo(List.of("repl-diskless-sync-delay", "5"));
            assertThat(replicaStatus(p).linkUp()).isTrue();
            assertThat(replicaStatus(p).offset()).isGreaterThanOrEqualTo(0);
            await("the master sees its replica online", Duration.ofSeconds(5), () -> masterStatus(p).replicasOnline() == 1);
            assertThat(Resp.command(r.address(), "GET", "k")).isEqualTo("v");
            assertThat(metrics(p)).contains("undermoon_replica_synced{master=\"" + m.address() + "\",node=\"" + r.address() + "\"} 1.0")
                    .contains("undermoon_replica_link_up{master=\"" + m.address() + "\",node=\"" + r.address() + "\"} 1.0")
                    .contains("undermoon_master_replicas_online{node=\"" + m.address() + "\"} 1.0")
                    .contains("undermoon_masters_without_online_replica 0.0");

            // the replica's Redis restarts empty: no longer synced until it has synced again
            r.restart();
            await("the restarted replica is not synced", Duration.ofSeconds(5), () -> replicaStatus(p).synced() == ReplStatus.Synced.NO);
            await("the restarted replica synced again", Duration.ofSeconds(20), () -> replicaStatus(p).synced() == ReplStatus.Synced.YES);
            assertThat(Resp.command(r.address(), "GET", "k")).isEqualTo("v");
        }
    }

    @Test
    void fastFirstSyncSetsTheDelayOnTheMasterSoTheFirstSyncStartsAtOnce() throws Exception {
        try (RedisProcess m = RedisProcess.start(DEFAULT_DELAY); RedisProcess r = RedisProcess.start(DEFAULT_DELAY);
                ServerProxy p = proxy(true, null)) {
            Resp.command(m.address(), "SET", "k", "v");
            setRepl(p, 1, m, r);
            long ms = await("the replica synced", Duration.ofSeconds(20),
                    () -> statuses(p).size() == 2 && replicaStatus(p).synced() == ReplStatus.Synced.YES);
            assertThat(ms).as("no 5 s wait for the first sync").isLessThan(3000);
            assertThat(Resp.command(m.address(), "CONFIG", "GET", "repl-diskless-sync-delay")).isEqualTo(List.of("repl-diskless-sync-delay", "0"));
            assertThat(Resp.command(r.address(), "GET", "k")).isEqualTo("v");

            // a new master for the replica (the old one promoted it): not synced, then synced with it
            String self = address(p);
            assertThat(Resp.command(self, "UMCTL", "SETREPL", "2", "NOFLAG",
                    "master", "c", r.address(), "1", m.address(), self,
                    "replica", "c", m.address(), "1", r.address(), self)).isEqualTo("+OK");
            await("the new pair synced", Duration.ofSeconds(20), () -> statuses(p).stream().anyMatch(s ->
                    s instanceof ReplStatus.Replica x && x.node().equals(m.address()) && x.master().equals(r.address())
                            && x.synced() == ReplStatus.Synced.YES));
        }
    }

    @Test
    void aRedisThatRefusesConfigKeepsItsRolesAndTheRefusalIsLoggedOnce() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(Replicator.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        log.addAppender(events);
        try (RedisProcess m = RedisProcess.start("--repl-diskless-sync-delay", "1", "--rename-command", "CONFIG", "");
                RedisProcess r = RedisProcess.start(); ServerProxy p = proxy(true, null)) {
            setRepl(p, 1, m, r);
            await("the replica synced anyway", Duration.ofSeconds(20),
                    () -> statuses(p).size() == 2 && replicaStatus(p).synced() == ReplStatus.Synced.YES);
            // roles asserted again (a new SETREPL with the same roles after a reconnect) log nothing more
            p.context().replication().set(io.undermoon.model.umctl.SetReplArgs.parseStrings(List.of("2", "FORCE",
                    "master", "c", m.address(), "1", r.address(), address(p), "replica", "c", r.address(), "1", m.address(), address(p))));
            Thread.sleep(500);
            Predicate<ILoggingEvent> refusal = e -> e.getFormattedMessage().contains("refused CONFIG SET repl-diskless-sync-delay 0");
            assertThat(events.list.stream().filter(refusal)).hasSize(1);
            assertThat(events.list.stream().filter(refusal).findFirst().orElseThrow().getFormattedMessage())
                    .contains(m.address()).contains("fast_first_sync");
            assertThat((List<?>) Resp.command(m.address(), "ROLE")).first().isEqualTo("master");
        } finally {
            log.detachAppender(events);
        }
    }

    private static String metrics(ServerProxy p) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.metricsPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }
}
