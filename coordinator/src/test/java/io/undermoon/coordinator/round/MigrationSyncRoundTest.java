package io.undermoon.coordinator.round;

import static io.undermoon.coordinator.testing.Views.clusterProxy;
import static io.undermoon.coordinator.testing.Views.freeProxy;
import static io.undermoon.coordinator.testing.Views.master;
import static io.undermoon.coordinator.testing.Views.stable;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.coordinator.testing.ScriptedBroker;
import io.undermoon.coordinator.testing.ScriptedProxyClient;
import io.undermoon.resp.client.RespReply;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MigrationSyncRoundTest {
    private static final String SRC = "127.0.0.1:6000";
    private static final String DST = "127.0.0.1:6001";
    private static final String TASK = "mycluster MIGRATING 1 233-666 7799 127.0.0.1:6000 127.0.0.1:7000 127.0.0.1:6001 127.0.0.1:7001";
    private static final String TASK2 = "mycluster MIGRATING 1 700-800 7799 127.0.0.1:6000 127.0.0.1:7000 127.0.0.1:6001 127.0.0.1:7001";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScriptedBroker broker = new ScriptedBroker();
    private final ScriptedProxyClient proxies = new ScriptedProxyClient();

    @BeforeEach
    void proxies() {
        broker.proxies.put(SRC, clusterProxy("mycluster", SRC, 7800,
                List.of(master("127.0.0.1:7000", SRC, List.of(stable(0, 8191)), "127.0.0.1:7003", DST)), List.of()));
        broker.proxies.put(DST, clusterProxy("mycluster", DST, 7800,
                List.of(master("127.0.0.1:7001", DST, List.of(stable(8192, 16383)), "127.0.0.1:7002", SRC)), List.of()));
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    private MigrationSyncRound round() {
        return new MigrationSyncRound(broker, proxies, false, executor);
    }

    private void infomgr(String address, RespReply reply) {
        proxies.answer((a, c) -> c.get(1).equals("INFOMGR")
                ? (a.equals(address) ? reply : new RespReply.Array(List.of()))
                : new RespReply.Simple("OK"));
    }

    private static RespReply lines(String... lines) {
        return new RespReply.Array(java.util.Arrays.stream(lines).map(RespReply::bulk).map(RespReply.class::cast).toList());
    }

    @Test
    void aFinishedTaskIsCommittedThenPushedToTheDestinationFirst() throws InterruptedException {
        infomgr(SRC, lines(TASK));
        assertThat(round().run()).isEmpty();
        assertThat(broker.calls()).containsExactly("commit mycluster MIGRATING 1 233-666 7799 127.0.0.1:6000 127.0.0.1:7000 "
                + "127.0.0.1:6001 127.0.0.1:7001", "proxy " + DST, "proxy " + SRC);
        List<String> pushes = proxies.sent().stream().filter(s -> !s.name().equals("INFOMGR"))
                .map(s -> s.name() + " " + s.address()).toList();
        assertThat(pushes).containsExactly("SETREPL " + DST, "SETCLUSTER " + DST, "SETREPL " + SRC, "SETCLUSTER " + SRC);
    }

    @Test
    void theTaskIsCommittedWithTheTagAsReported() throws InterruptedException {
        infomgr(DST, lines(TASK.replace("MIGRATING", "IMPORTING")));
        round().run();
        assertThat(broker.calls().get(0)).startsWith("commit mycluster IMPORTING 1 233-666 7799");
    }

    @Test
    void stableLinesAreSkipped() throws InterruptedException {
        infomgr(SRC, lines("mycluster 1 0-100", TASK));
        assertThat(round().run()).isEmpty();
        assertThat(broker.calls()).filteredOn(c -> c.startsWith("commit")).hasSize(1);
    }

    @Test
    void aCommitErrorAbortsTheRemainingTasksOfThatProxy() throws InterruptedException {
        infomgr(SRC, lines(TASK, TASK2));
        broker.commitError = new BrokerCallException(BrokerCallException.Kind.RETRY, "HTTP 409");
        List<RoundError> errors = round().run();
        assertThat(errors).extracting(RoundError::key).containsExactly(SRC);
        assertThat(broker.calls()).filteredOn(c -> c.startsWith("commit")).hasSize(1);
        assertThat(proxies.addressesOf("SETCLUSTER")).isEmpty();
    }

    @Test
    void aPushErrorAbortsTheRemainingTasks() throws InterruptedException {
        proxies.answer((a, c) -> c.get(1).equals("INFOMGR") ? (a.equals(SRC) ? lines(TASK, TASK2) : lines())
                : new RespReply.Error("TRY_AGAIN"));
        List<RoundError> errors = round().run();
        assertThat(errors).extracting(RoundError::message).anyMatch(m -> m.contains("TRY_AGAIN"));
        assertThat(broker.calls()).filteredOn(c -> c.startsWith("commit")).hasSize(1);
        assertThat(proxies.addressesOf("SETREPL")).containsExactly(DST);
    }

    @Test
    void anUnparsableLineFailsTheWholeProxy() throws InterruptedException {
        infomgr(SRC, lines(TASK, "mycluster MIGRATING 1 233-666"));
        List<RoundError> errors = round().run();
        assertThat(errors).extracting(RoundError::message).anyMatch(m -> m.contains("invalid migration task"));
        assertThat(broker.calls()).noneMatch(c -> c.startsWith("commit"));
    }

    @Test
    void aNonArrayReplyFailsTheProxy() throws InterruptedException {
        infomgr(SRC, new RespReply.Error("ERR unknown command"));
        List<RoundError> errors = round().run();
        assertThat(errors).extracting(RoundError::key).containsExactly(SRC);
        assertThat(errors.get(0).message()).contains("expected an array").contains("ERR unknown command");
    }

    @Test
    void failedProxiesAreNotAsked() throws InterruptedException {
        broker.failed.add(SRC);
        broker.proxies.put("127.0.0.1:6005", freeProxy("127.0.0.1:6005", 1, "127.0.0.1:7010", "127.0.0.1:7011"));
        round().run();
        assertThat(proxies.addressesOf("INFOMGR")).containsExactlyInAnyOrder(DST, "127.0.0.1:6005");
    }

    @Test
    void infoMgrParsing() throws Exception {
        assertThat(InfoMgrReply.parse(lines())).isEmpty();
        var tasks = InfoMgrReply.parse(lines(TASK, "mycluster 1 0-5"));
        assertThat(tasks).hasSize(1);
        assertThat(tasks.get(0).meta().epoch()).isEqualTo(7799);
        assertThat(tasks.get(0).meta().dstProxyAddress()).isEqualTo(DST);
        assertThat(tasks.get(0).toText()).isEqualTo(TASK);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InfoMgrReply.parse(
                new RespReply.Array(List.of(new RespReply.Int(1))))).hasMessageContaining("bulk strings");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InfoMgrReply.parse(new RespReply.Simple("OK")))
                .hasMessageContaining("array");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> InfoMgrReply.parse(lines("")))
                .hasMessageContaining("invalid migration task");
    }
}
