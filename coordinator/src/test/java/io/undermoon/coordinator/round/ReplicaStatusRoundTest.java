package io.undermoon.coordinator.round;

import static io.undermoon.coordinator.testing.Views.freeProxy;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.coordinator.testing.ScriptedBroker;
import io.undermoon.coordinator.testing.ScriptedProxyClient;
import io.undermoon.model.broker.ReplicaSyncState;
import io.undermoon.resp.client.RespReply;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicaStatusRoundTest {
    private static final String P1 = "127.0.0.1:6001";
    private static final String P2 = "127.0.0.1:6002";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScriptedBroker broker = new ScriptedBroker();
    private final ScriptedProxyClient proxies = new ScriptedProxyClient();
    private final AtomicLong clock = new AtomicLong();
    /** The REPLSTATUS lines each proxy answers. */
    private final Map<String, List<String>> lines = new ConcurrentHashMap<>();
    private ReplicaStatusRound round;

    @BeforeEach
    void setUp() {
        broker.proxies.put(P1, freeProxy(P1, 1, "127.0.0.1:7001", "127.0.0.1:7002"));
        broker.proxies.put(P2, freeProxy(P2, 1, "127.0.0.1:7003", "127.0.0.1:7004"));
        lines.put(P1, List.of(master("127.0.0.1:7001"), replica("127.0.0.1:7002", "127.0.0.1:7003", "no")));
        lines.put(P2, List.of(master("127.0.0.1:7003"), replica("127.0.0.1:7004", "127.0.0.1:7001", "yes")));
        proxies.answer((a, c) -> {
            if (!c.equals(List.of("UMCTL", "REPLSTATUS"))) {
                return new RespReply.Error("unexpected " + c);
            }
            return new RespReply.Array(lines.get(a).stream()
                    .map(l -> (RespReply) new RespReply.Bulk(l.getBytes(StandardCharsets.UTF_8))).toList());
        });
        round = new ReplicaStatusRound(broker, proxies, executor, clock::get, Duration.ofSeconds(60));
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    private static String master(String node) {
        return "master node=" + node + " cluster=c replicas_online=1 offset=10";
    }

    private static String replica(String node, String master, String synced) {
        return "replica node=" + node + " cluster=c master=" + master + " link=" + (synced.equals("yes") ? "up" : "down")
                + " synced=" + synced + " offset=10";
    }

    private List<ReplicaSyncState> lastReport() {
        return broker.replicaSyncReports.getLast();
    }

    @Test
    void theFirstRoundReportsEveryReplicaThenOnlyTransitions() throws InterruptedException {
        assertThat(round.run()).isEmpty();
        assertThat(broker.replicaSyncReports).hasSize(1);
        assertThat(lastReport()).containsExactlyInAnyOrder(
                new ReplicaSyncState("127.0.0.1:7002", "127.0.0.1:7003", false),
                new ReplicaSyncState("127.0.0.1:7004", "127.0.0.1:7001", true));

        // nothing changed: no request at all
        assertThat(round.run()).isEmpty();
        assertThat(broker.replicaSyncReports).hasSize(1);

        // one replica completes its sync: only it is reported
        lines.put(P1, List.of(master("127.0.0.1:7001"), replica("127.0.0.1:7002", "127.0.0.1:7003", "yes")));
        round.run();
        assertThat(broker.replicaSyncReports).hasSize(2);
        assertThat(lastReport()).containsExactly(new ReplicaSyncState("127.0.0.1:7002", "127.0.0.1:7003", true));

        // a new master for a replica is a new pair: reported even with the same synced value
        lines.put(P1, List.of(master("127.0.0.1:7001"), replica("127.0.0.1:7002", "127.0.0.1:7009", "yes")));
        round.run();
        assertThat(lastReport()).containsExactly(new ReplicaSyncState("127.0.0.1:7002", "127.0.0.1:7009", true));
    }

    @Test
    void anUnknownStateIsNotReported() throws InterruptedException {
        lines.put(P1, List.of(replica("127.0.0.1:7002", "127.0.0.1:7003", "unknown")));
        lines.put(P2, List.of());
        round.run();
        assertThat(broker.replicaSyncReports).isEmpty();
        assertThat(broker.calls()).noneMatch(c -> c.startsWith("replica sync"));
    }

    @Test
    void everythingIsReportedAgainPeriodicallyAndOnRequest() throws InterruptedException {
        round.run();
        assertThat(broker.replicaSyncReports).hasSize(1);
        round.requestFullReport();
        round.run();
        assertThat(broker.replicaSyncReports).hasSize(2);
        assertThat(lastReport()).hasSize(2);
        round.run();
        assertThat(broker.replicaSyncReports).hasSize(2);
        clock.addAndGet(Duration.ofSeconds(61).toNanos());
        round.run();
        assertThat(broker.replicaSyncReports).hasSize(3);
        assertThat(lastReport()).hasSize(2);
    }

    @Test
    void aFailedReportIsSentAgainAndAProxyThatDidNotAnswerIsReportedAfreshLater() throws InterruptedException {
        broker.replicaSyncError = new BrokerCallException(BrokerCallException.Kind.IO, "timed out");
        List<RoundError> errors = round.run();
        assertThat(errors).extracting(RoundError::key).containsExactly("replica sync report");
        broker.replicaSyncError = null;
        round.run();
        assertThat(broker.replicaSyncReports).hasSize(1);
        assertThat(lastReport()).hasSize(2);

        proxies.down.add(P2);
        errors = round.run();
        assertThat(errors).extracting(RoundError::key).containsExactly("replstatus " + P2);
        assertThat(broker.replicaSyncReports).hasSize(1);
        proxies.down.remove(P2);
        round.run();
        assertThat(lastReport()).containsExactly(new ReplicaSyncState("127.0.0.1:7004", "127.0.0.1:7001", true));
    }

    @Test
    void aProxyWithoutReplstatusOrWithAnUnreadableLineIsAProblemOfItsOwn() throws InterruptedException {
        proxies.answer((a, c) -> a.equals(P1) ? new RespReply.Error("Invalid sub command")
                : new RespReply.Array(List.of(new RespReply.Bulk("replica node=x".getBytes(StandardCharsets.UTF_8)))));
        List<RoundError> errors = round.run();
        assertThat(errors).extracting(RoundError::key).containsExactlyInAnyOrder("replstatus " + P1, "replstatus " + P2);
        assertThat(errors).extracting(RoundError::message).anyMatch(m -> m.contains("Invalid sub command"));
        assertThat(broker.replicaSyncReports).isEmpty();
    }

    @Test
    void failedProxiesAreNotAsked() throws InterruptedException {
        broker.failed.add(P2);
        round.run();
        assertThat(proxies.addressesOf("REPLSTATUS")).containsExactly(P1);
        assertThat(proxies.retained()).containsExactly(P1);
    }
}
