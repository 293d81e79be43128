package io.undermoon.coordinator.round;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.coordinator.Coordinator;
import io.undermoon.coordinator.CoordinatorConfig;
import io.undermoon.coordinator.broker.BrokerAddresses;
import io.undermoon.coordinator.broker.HttpBrokerClient;
import io.undermoon.coordinator.loop.RoundLoop;
import io.undermoon.coordinator.testing.BrokerHttp;
import io.undermoon.coordinator.testing.FakeProxy;
import io.undermoon.testkit.ScriptedProxy;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.model.broker.NodeView;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.model.umctl.SetClusterArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Migration commit (spec §6.6, flow (b) step 6) against the real broker. The proxies are
 * {@link FakeProxy}s, so that the test decides when a task is reported finished in UMCTL INFOMGR
 * and sees every command the coordinator sends, in order across proxies (the real migration is
 * tested end to end in integration-tests' MigrationIT and ScalingIT).
 */
class MigrationCommitIT {
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T r) {
        resources.add(r);
        return r;
    }

    private static Optional<MigrationTask> migratingTask(ClusterView view) {
        for (NodeView n : view.nodes()) {
            for (SlotRange r : n.slots()) {
                if (r.tag() instanceof SlotRangeTag.Migrating) {
                    return Optional.of(new MigrationTask(view.name(), r));
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void aFinishedTaskIsCommittedAndPushedToTheDestinationBeforeTheSource() throws Exception {
        MemBroker broker = keep(MemBroker.start(BrokerConfig.from(ConfigSource.of(Map.of("address", "127.0.0.1:0")))));
        BrokerHttp http = keep(new BrokerHttp(broker.address()));
        List<ScriptedProxy.Logged> log = new ArrayList<>();
        List<FakeProxy> fakes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            FakeProxy f = keep(new FakeProxy(log));
            fakes.add(f);
            http.addProxy(f.address(), List.of("127.0.0.1:" + (41000 + 2 * i), "127.0.0.1:" + (41001 + 2 * i)), "host" + i);
        }
        http.createCluster("mycluster", 4);
        http.addNodes("mycluster", 4);
        http.expand("mycluster");
        HttpBrokerClient reader = keep(new HttpBrokerClient(new BrokerAddresses(List.of(broker.address())),
                Duration.ofSeconds(3), false));
        ClusterView before = reader.cluster("mycluster").orElseThrow();
        MigrationTask task = migratingTask(before).orElseThrow();
        String src = task.meta().srcProxyAddress();
        String dst = task.meta().dstProxyAddress();

        // the sync loop runs one round at start and then pauses for an hour, so every later
        // metadata push comes from the migration loop
        Coordinator c = keep(Coordinator.start(CoordinatorConfig.from(ConfigSource.of(Map.of(
                "address", "127.0.0.1:0", "broker_address", broker.address(), "reporter_id", "c1",
                "loop_interval_ms", 100L, "sync_interval_ms", 3_600_000L)))));
        RoundLoop sync = c.loops().stream().filter(l -> l.name().equals("sync")).findFirst().orElseThrow();
        await().until(() -> sync.rounds() >= 1);
        int logStart;
        synchronized (log) {
            logStart = log.size();
        }
        FakeProxy srcFake = fakes.stream().filter(f -> f.address().equals(src)).findFirst().orElseThrow();
        FakeProxy dstFake = fakes.stream().filter(f -> f.address().equals(dst)).findFirst().orElseThrow();
        srcFake.finishedTasks.add(task.toText());
        dstFake.finishedTasks.add(task.asImporting().toText()); // the other side reports it too: a 404, ignored

        await().atMost(Duration.ofSeconds(10)).until(() -> reader.cluster("mycluster").orElseThrow().epoch() > before.epoch());
        ClusterView after = reader.cluster("mycluster").orElseThrow();
        NodeView dstNode = after.nodes().stream().filter(n -> n.address().equals(task.meta().dstNodeAddress())).findFirst()
                .orElseThrow();
        assertThat(dstNode.slots()).contains(SlotRange.stable(task.slotRange().rangeList()));

        await().atMost(Duration.ofSeconds(10)).until(() -> pushesAtEpoch(log, logStart, after.epoch()).size() >= 4);
        List<String> pushes = pushesAtEpoch(log, logStart, after.epoch());
        // both sides report the task and are handled concurrently, and each commit pushes to the
        // destination first: whatever the interleaving, the destination has the new epoch first
        assertThat(pushes).contains("SETREPL " + dst, "SETCLUSTER " + dst, "SETREPL " + src, "SETCLUSTER " + src);
        assertThat(pushes.indexOf("SETREPL " + dst)).isLessThan(pushes.indexOf("SETCLUSTER " + dst));
        assertThat(pushes.indexOf("SETCLUSTER " + dst)).isLessThan(pushes.indexOf("SETREPL " + src));
        assertThat(pushes.indexOf("SETREPL " + src)).isLessThan(pushes.indexOf("SETCLUSTER " + src));
        // what the destination got owns the moved slots
        List<String> setCluster = firstSetCluster(log, logStart, dst, after.epoch());
        SetClusterArgs args = SetClusterArgs.parseStrings(setCluster.subList(2, setCluster.size()));
        assertThat(args.local().get(task.meta().dstNodeAddress())).contains(SlotRange.stable(task.slotRange().rangeList()));
        RoundLoop migration = c.loops().stream().filter(l -> l.name().equals("migration")).findFirst().orElseThrow();
        long r = migration.rounds();
        await().until(() -> migration.rounds() > r + 1);
        assertThat(migration.lastProblemCount()).isZero();
    }

    /** "SETREPL addr" / "SETCLUSTER addr" of the pushes at {@code epoch} logged since {@code from}, in order. */
    private static List<String> pushesAtEpoch(List<ScriptedProxy.Logged> log, int from, long epoch) {
        List<String> out = new ArrayList<>();
        synchronized (log) {
            for (ScriptedProxy.Logged l : log.subList(from, log.size())) {
                List<String> cmd = l.command();
                if (cmd.size() > 3 && cmd.get(0).equals("UMCTL")) {
                    String sub = cmd.get(1);
                    String e = sub.equals("SETREPL") ? cmd.get(2) : sub.equals("SETCLUSTER") ? cmd.get(3) : null;
                    if (e != null && Long.parseLong(e) == epoch) {
                        out.add(sub + " " + l.proxy());
                    }
                }
            }
        }
        return out;
    }

    private static List<String> firstSetCluster(List<ScriptedProxy.Logged> log, int from, String proxy, long epoch) {
        synchronized (log) {
            for (ScriptedProxy.Logged l : log.subList(from, log.size())) {
                List<String> cmd = l.command();
                if (l.proxy().equals(proxy) && cmd.size() > 3 && cmd.get(1).equals("SETCLUSTER")
                        && Long.parseLong(cmd.get(3)) == epoch) {
                    return cmd;
                }
            }
        }
        throw new AssertionError("no SETCLUSTER at epoch " + epoch + " to " + proxy);
    }
}
