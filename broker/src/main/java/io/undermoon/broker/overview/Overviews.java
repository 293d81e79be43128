package io.undermoon.broker.overview;

import io.undermoon.broker.view.ClusterViews;
import io.undermoon.broker.view.MigrationLimitedView;
import io.undermoon.model.Range;
import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.NodeView;
import io.undermoon.model.broker.ProxyResource;
import io.undermoon.model.broker.ReplPeer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Builds an {@link Overview} from a store. */
public final class Overviews {
    public static final String FREE = "free";
    public static final String USED = "used";
    public static final String FAILED = "failed";

    private Overviews() {}

    /** The state of a registered proxy: failed, used by a cluster, or free. */
    public static String state(MetaStore store, ProxyResource p) {
        if (store.failedProxies().contains(p.proxyAddress())) {
            return FAILED;
        }
        return p.cluster() == null ? FREE : USED;
    }

    /**
     * @param migrationLimit the broker's {@code migration_limit}, to tell active tasks from queued ones;
     *                       negative when not known (then {@code active} is null)
     * @param progress       the broker's tracker, or null (then {@code progress} is null everywhere)
     */
    public static Overview of(MetaStore store, long migrationLimit, MigrationProgress progress) {
        if (progress != null) {
            progress.observe(store);
        }
        List<Overview.ClusterOverview> clusters = new ArrayList<>(store.clusters().size());
        for (ClusterStore c : store.clusters().values()) {
            clusters.add(cluster(store, c, migrationLimit, progress == null ? null : progress.get(c.name())));
        }
        Map<String, List<Overview.ProxyOverview>> byHost = new TreeMap<>();
        for (ProxyResource p : store.allProxies().values()) {
            byHost.computeIfAbsent(p.host(), h -> new ArrayList<>())
                    .add(new Overview.ProxyOverview(p.proxyAddress(), state(store, p), p.cluster()));
        }
        List<Overview.HostOverview> hosts = new ArrayList<>(byHost.size());
        byHost.forEach((h, ps) -> hosts.add(new Overview.HostOverview(h, ps)));
        Map<String, List<String>> reports = new LinkedHashMap<>();
        store.failures().forEach((proxy, reporters) -> reports.put(proxy, List.copyOf(reporters.keySet())));
        return new Overview(store.globalEpoch(), clusters, hosts, List.copyOf(store.failedProxies()), reports);
    }

    private static Overview.ClusterOverview cluster(MetaStore store, ClusterStore c, long limit, MigrationProgress.Entry p) {
        List<NodeView> nodes = ClusterViews.nodes(c);
        Set<String> active = new HashSet<>();
        for (NodeView n : limit < 0 ? List.<NodeView>of() : ClusterViews.nodes(MigrationLimitedView.of(c, limit))) {
            for (SlotRange r : n.slots()) {
                if (r.tag() instanceof SlotRangeTag.Migrating m) {
                    active.add(key(r, m));
                }
            }
        }
        BitSet covered = new BitSet(SlotHash.SLOT_NUM);
        List<Overview.MasterOverview> masters = new ArrayList<>();
        List<Overview.MigrationOverview> migrations = new ArrayList<>();
        long migrating = 0;
        for (NodeView n : nodes) {
            if (!n.isMaster()) {
                continue;
            }
            List<Range> stable = new ArrayList<>();
            long count = 0;
            for (SlotRange r : n.slots()) {
                if (r.tag().isStable()) {
                    stable.addAll(r.rangeList().ranges());
                    count += r.rangeList().slotCount();
                    mark(covered, r);
                } else if (r.tag() instanceof SlotRangeTag.Migrating m) {
                    mark(covered, r);
                    long slots = r.rangeList().slotCount();
                    migrating += slots;
                    migrations.add(new Overview.MigrationOverview(r.rangeList().ranges(), slots, m.meta().srcNodeAddress(),
                            m.meta().srcProxyAddress(), m.meta().dstNodeAddress(), m.meta().dstProxyAddress(),
                            m.meta().epoch(), limit < 0 ? null : active.contains(key(r, m))));
                }
            }
            ReplPeer replica = n.repl().peers().isEmpty() ? null : n.repl().peers().get(0);
            masters.add(new Overview.MasterOverview(n.address(), n.proxyAddress(), host(store, n.proxyAddress()),
                    replica == null ? null : replica.nodeAddress(), replica == null ? null : replica.proxyAddress(),
                    replica == null ? null : host(store, replica.proxyAddress()), stable, count));
        }
        Overview.ProgressOverview progress = p == null ? null
                : new Overview.ProgressOverview(p.planned(), p.switched(), p.remaining(), p.startedAtMillis());
        return new Overview.ClusterOverview(c.name(), c.epoch(), c.nodeNumber(), covered.cardinality(), masters,
                migrations, migrating, progress);
    }

    private static String key(SlotRange r, SlotRangeTag.Migrating m) {
        return r.rangeList() + "|" + m.meta();
    }

    private static void mark(BitSet covered, SlotRange r) {
        for (Range range : r.rangeList().ranges()) {
            covered.set(range.start(), range.end() + 1);
        }
    }

    private static String host(MetaStore store, String proxy) {
        ProxyResource p = store.allProxies().get(proxy);
        return p == null ? null : p.host();
    }
}
