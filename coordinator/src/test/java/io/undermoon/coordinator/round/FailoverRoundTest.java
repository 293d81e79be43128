package io.undermoon.coordinator.round;

import static io.undermoon.coordinator.testing.Views.freeProxy;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.coordinator.testing.ScriptedBroker;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailoverRoundTest {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScriptedBroker broker = new ScriptedBroker();
    private final AtomicInteger syncWakeups = new AtomicInteger();

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    private FailoverRound round() {
        return new FailoverRound(broker, executor, syncWakeups::incrementAndGet);
    }

    @Test
    void getsTheFailuresThenFailsEachOver() throws InterruptedException {
        broker.failures.addAll(List.of("127.0.0.1:6001", "127.0.0.1:6002"));
        broker.replacements.put("127.0.0.1:6001", freeProxy("127.0.0.1:6005", 9, "n1", "n2"));
        assertThat(round().run()).isEmpty();
        assertThat(broker.calls()).filteredOn(c -> c.startsWith("failover")).containsExactlyInAnyOrder(
                "failover 127.0.0.1:6001", "failover 127.0.0.1:6002");
        assertThat(syncWakeups).hasValue(1);
    }

    @Test
    void nothingToDoWakesNothing() throws InterruptedException {
        assertThat(round().run()).isEmpty();
        assertThat(broker.calls()).isEmpty();
        assertThat(syncWakeups).hasValue(0);
    }

    @Test
    void aRetryAnswerIsAnErrorButTheRolesChangedSoTheSyncIsWoken() throws InterruptedException {
        broker.failures.add("127.0.0.1:6001");
        broker.failoverError = new BrokerCallException(BrokerCallException.Kind.RETRY,
                "POST /proxies/failover/127.0.0.1:6001: HTTP 409 {\"error\":\"NO_AVAILABLE_RESOURCE\"}");
        List<RoundError> errors = round().run();
        assertThat(errors).extracting(RoundError::message).singleElement().asString().contains("NO_AVAILABLE_RESOURCE");
        assertThat(syncWakeups).hasValue(1);
    }

    @Test
    void anotherErrorDoesNotWakeTheSync() throws InterruptedException {
        broker.failures.add("127.0.0.1:6001");
        broker.failoverError = new BrokerCallException(BrokerCallException.Kind.IO, "timed out");
        assertThat(round().run()).hasSize(1);
        assertThat(syncWakeups).hasValue(0);
    }
    @Test
    void aRefusedFailoverIsLoggedWithTheBrokersReasonWakesNoSyncAndAsksForAFreshReport() throws InterruptedException {
        broker.failures.add("127.0.0.1:6001");
        String reason = "failover of proxy 127.0.0.1:6001 (cluster c) refused: replica 127.0.0.1:7004 (proxy 127.0.0.1:6002)"
                + " has not completed a sync of master 127.0.0.1:7001";
        broker.failoverError = new BrokerCallException(BrokerCallException.Kind.REFUSED, reason);
        AtomicInteger refusals = new AtomicInteger();
        List<String> synced = new java.util.ArrayList<>();
        FailoverRound r = new FailoverRound(broker, executor, syncWakeups::incrementAndGet, name -> {
            synced.add(name);
            return List.of();
        }, refusals::incrementAndGet);
        List<RoundError> errors = r.run();
        // the same key and message every round: the loop's error log writes it once
        assertThat(errors).containsExactly(new RoundError("127.0.0.1:6001", reason));
        assertThat(r.run()).isEqualTo(errors);
        assertThat(syncWakeups).hasValue(0);
        assertThat(synced).isEmpty();
        assertThat(refusals).hasValue(2);
    }

    @Test
    void aFailoverPushesTheClusterAtOnceThenWakesTheSync() throws InterruptedException {
        broker.failures.addAll(List.of("127.0.0.1:6001", "127.0.0.1:6003"));
        broker.proxies.put("127.0.0.1:6001", io.undermoon.coordinator.testing.Views.clusterProxy("c", "127.0.0.1:6001", 5,
                List.of(), List.of()));
        broker.replacements.put("127.0.0.1:6001", freeProxy("127.0.0.1:6005", 9, "n1", "n2"));
        List<String> synced = new java.util.concurrent.CopyOnWriteArrayList<>();
        FailoverRound r = new FailoverRound(broker, executor, syncWakeups::incrementAndGet, name -> {
            synced.add(name);
            return List.of(new RoundError("127.0.0.1:6002", "push failed"));
        }, () -> { });
        List<RoundError> errors = r.run();
        // 6003 is free (no view here): nothing to push for it
        assertThat(synced).containsExactly("c");
        assertThat(errors).containsExactly(new RoundError("127.0.0.1:6002", "push failed"));
        assertThat(syncWakeups).hasValue(1);
    }
}
