package io.undermoon.broker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.broker.store.ClusterOperations;
import io.undermoon.broker.store.EpochOperations;
import io.undermoon.broker.store.Failover;
import io.undermoon.broker.store.MigrationOperations;
import io.undermoon.broker.store.ProxyOperations;
import io.undermoon.broker.store.ReplicaSyncOperations;
import io.undermoon.broker.view.ClusterViews;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.AddProxyRequest;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import io.undermoon.model.broker.MigrationTaskMeta;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.broker.ReplicaSyncState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of every kind of mutation through the transactional storage: a failed call
 * changes nothing (apart from the two deliberate partial effects), the global epoch never goes
 * back, a changed cluster always has a larger epoch, and every proxy whose view changed sees a
 * strictly larger epoch, so it will accept the new metadata.
 */
class EpochProperties {
    private static final List<String> NAMES = List.of("a", "b");
    private static final Set<BrokerError> PARTIAL = EnumSet.of(BrokerError.ALREADY_EXISTED, BrokerError.NO_AVAILABLE_RESOURCE);

    private static String proxy(int k) {
        return "10.0." + (k % 4) + ".1:" + (6000 + k);
    }

    private static Mutation<?> op(int code, Random r, MetaStore s) {
        String name = NAMES.get(r.nextInt(NAMES.size()));
        int k = r.nextInt(14);
        // the codes past 13 repeat the operations that drive clusters forward, so sequences get far
        int c = switch (code) {
            case 14, 15 -> 2;
            case 16 -> 6;
            case 17, 18 -> 8;
            case 19 -> 4;
            case 20 -> 7;
            default -> code;
        };
        return switch (c) {
            case 0 -> (Mutation<Void>) d -> ProxyOperations.addProxy(d, new AddProxyRequest(proxy(k),
                    List.of("10.1.0.1:" + (7000 + 2 * k), "10.1.0.1:" + (7001 + 2 * k)), null, null));
            case 1 -> Mutation.run(d -> ProxyOperations.removeProxy(d, proxy(k)));
            case 2 -> Mutation.run(d -> ClusterOperations.createCluster(d, name, List.of(4L, 8L, 4L, 6L).get(r.nextInt(4)),
                    ClusterConfig.DEFAULT));
            case 3 -> Mutation.run(d -> ClusterOperations.removeCluster(d, name));
            case 4 -> Mutation.of(d -> ClusterOperations.addNodes(d, name, 4L * (1 + r.nextInt(2))));
            case 5 -> Mutation.run(d -> ClusterOperations.deleteFreeNodes(d, name));
            case 6 -> Mutation.run(d -> MigrationOperations.expand(d, name));
            case 7 -> Mutation.run(d -> MigrationOperations.shrink(d, name, 4L * (1 + r.nextInt(2))));
            case 8 -> commitSomething(s, r);
            case 9 -> Mutation.run(d -> ClusterOperations.changeConfig(d, name, r.nextBoolean()
                    ? Map.of("compression_strategy", "allow_all") : Map.of("migration_scan_count", "0")));
            case 10 -> Mutation.run(d -> ClusterOperations.balanceMasters(d, name));
            case 11 -> {
                boolean losingData = r.nextBoolean();
                yield (Mutation<String>) d -> Failover.replaceFailedProxy(d, proxy(k), losingData);
            }
            case 12 -> Mutation.of(d -> ProxyOperations.addFailure(d, proxy(k), "r" + r.nextInt(2), 1000));
            case 13 -> Mutation.run(d -> EpochOperations.forceBump(d, s.globalEpoch() + r.nextInt(5) - 1));
            default -> syncSomething(s, r);
        };
    }

    /** A replica state report for a random current pair (or a stale one): no epoch may move. */
    private static Mutation<?> syncSomething(MetaStore s, Random r) {
        List<ReplicaSyncState> states = new ArrayList<>();
        for (ClusterStore c : s.clusters().values()) {
            for (ChunkStore chunk : c.chunks()) {
                for (int p = 0; p < 2; p++) {
                    states.add(new ReplicaSyncState(chunk.replicaOf(p), r.nextInt(8) == 0 ? chunk.masterOf(1 - p) : chunk.masterOf(p),
                            r.nextInt(4) != 0));
                }
            }
        }
        List<ReplicaSyncState> some = states.stream().filter(x -> r.nextBoolean()).toList();
        long epoch = s.globalEpoch();
        return Mutation.run(d -> {
            ReplicaSyncOperations.apply(d, some);
            assertThat(d.globalEpoch()).isEqualTo(epoch);
        });
    }

    private static Mutation<?> commitSomething(MetaStore s, Random r) {
        List<MigrationTaskMeta> tasks = new ArrayList<>();
        for (ClusterStore c : s.clusters().values()) {
            for (ChunkStore chunk : c.chunks()) {
                for (int p = 0; p < 2; p++) {
                    for (MigrationSlotRangeStore m : chunk.migrating(p)) {
                        MigrationMeta meta = new MigrationMeta(m.meta().epoch(), "x:1", "x:2", "y:1", "y:2");
                        tasks.add(new MigrationTaskMeta(c.name(), new SlotRange(m.rangeList(),
                                m.isMigrating() ? new SlotRangeTag.Migrating(meta) : new SlotRangeTag.Importing(meta))));
                    }
                }
            }
        }
        if (tasks.isEmpty()) {
            return Mutation.run(d -> MigrationOperations.commit(d, new MigrationTaskMeta("a", SlotRange.stable(0, 1))));
        }
        MigrationTaskMeta t = tasks.get(r.nextInt(tasks.size()));
        return Mutation.run(d -> MigrationOperations.commit(d, t));
    }

    @Property(tries = 150)
    void everyChangeRaisesTheEpochsItsProxiesSee(@ForAll @Size(min = 10, max = 80) List<@IntRange(min = 0, max = 22) Integer> ops,
                                                 @ForAll long seed) {
        Random random = new Random(seed);
        LocalStorage storage = new LocalStorage(MetaStore.empty(false), null, false, Duration.ZERO);
        // a pool large enough to create and grow clusters
        for (int k = 0; k < 14; k++) {
            int kk = k;
            try {
                storage.mutate(d -> ProxyOperations.addProxy(d, new AddProxyRequest(proxy(kk),
                        List.of("10.1.0.1:" + (7000 + 2 * kk), "10.1.0.1:" + (7001 + 2 * kk)), null, null)));
            } catch (BrokerException e) {
                throw new AssertionError(e);
            }
        }
        for (int code : ops) {
            MetaStore before = storage.snapshot();
            BrokerError error = null;
            try {
                storage.mutate(op(code, random, before));
            } catch (BrokerException e) {
                error = e.error();
            }
            MetaStore after = storage.snapshot();
            net.jqwik.api.statistics.Statistics.label("outcome").collect(error == null ? "ok:" + code : "error:" + error);
            if (error != null && !PARTIAL.contains(error)) {
                assertThat(after).as("failed op %d (%s) changed the store", code, error).isSameAs(before);
                continue;
            }
            assertThat(after.globalEpoch()).isGreaterThanOrEqualTo(before.globalEpoch());
            for (ClusterStore c : after.clusters().values()) {
                ClusterStore old = before.clusters().get(c.name());
                if (old == null) {
                    assertThat(c.epoch()).as("new cluster %s", c.name()).isEqualTo(after.globalEpoch());
                } else if (!withoutSyncState(old).equals(withoutSyncState(c))) {
                    assertThat(c.epoch()).as("changed cluster %s after op %d", c.name(), code).isGreaterThan(old.epoch());
                }
                assertThat(c.epoch()).isLessThanOrEqualTo(after.globalEpoch());
            }
            for (String address : after.allProxies().keySet()) {
                ProxyView was = ClusterViews.proxy(before, address, 1);
                ProxyView now = ClusterViews.proxy(after, address, 1);
                if (was != null && now != null && !sameButEpoch(was, now)) {
                    assertThat(now.epoch()).as("proxy %s view changed by op %d", address, code).isGreaterThan(was.epoch());
                }
            }
        }
    }

    /** The cluster as proxies see it: the replicas' sync state is the broker's alone (it moves no epoch). */
    private static ClusterStore withoutSyncState(ClusterStore c) {
        return c.withChunks(c.chunks().stream().map(x -> x.withReplicaSynced(0, false).withReplicaSynced(1, false)).toList());
    }

    private static boolean sameButEpoch(ProxyView a, ProxyView b) {
        return new ProxyView(a.clusterName(), a.address(), 0, a.nodes(), a.peers(), a.clusterConfig())
                .equals(new ProxyView(b.clusterName(), b.address(), 0, b.nodes(), b.peers(), b.clusterConfig()));
    }
}
