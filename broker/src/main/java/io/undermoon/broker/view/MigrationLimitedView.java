package io.undermoon.broker.view;

import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MigrationMetaStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What proxies are shown of a cluster while several migration tasks are planned (spec §4.10): at
 * most {@code migration_limit} tasks at once, and at most one outgoing task per source master,
 * because a migrating proxy is CPU-heavy. A hidden task's ranges stay, in the view, with its source
 * as stable slots. The store keeps every task; each commit lets the next hidden ones appear, and a
 * task once shown is never hidden again (earlier tasks only disappear by being committed).
 */
public final class MigrationLimitedView {
    /** Outgoing tasks one source master may run at once (hard-coded in the reference). */
    public static final int MAX_MIGRATING_OUT = 1;

    private MigrationLimitedView() {}

    /** The view of {@code cluster} with at most {@code limit} visible tasks; {@code limit == 0} = all. */
    public static ClusterStore of(ClusterStore cluster, long limit) {
        if (limit == 0 || !cluster.isMigrating()) {
            return cluster;
        }
        int n = cluster.chunks().size();
        SlotRange[][] stable = new SlotRange[n][ChunkStore.PARTS];
        List<List<List<MigrationSlotRangeStore>>> lists = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ChunkStore c = cluster.chunks().get(i);
            stable[i][0] = c.stable(0);
            stable[i][1] = c.stable(1);
            lists.add(List.of(new ArrayList<>(), new ArrayList<>()));
        }
        long visible = 0;
        Map<Integer, Integer> outgoing = new HashMap<>();
        for (ChunkStore c : cluster.chunks()) {
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                for (MigrationSlotRangeStore r : c.migrating(part)) {
                    if (!r.isMigrating()) {
                        continue;
                    }
                    MigrationMetaStore m = r.meta();
                    int src = m.srcChunkIndex() * ChunkStore.PARTS + m.srcChunkPart();
                    int out = outgoing.getOrDefault(src, 0);
                    if (visible < limit && out < MAX_MIGRATING_OUT) {
                        visible++;
                        outgoing.put(src, out + 1);
                        lists.get(m.srcChunkIndex()).get(m.srcChunkPart()).add(r);
                        lists.get(m.dstChunkIndex()).get(m.dstChunkPart()).add(r.asImporting());
                    } else {
                        SlotRange s = stable[m.srcChunkIndex()][m.srcChunkPart()];
                        RangeList merged = s == null ? r.rangeList() : s.rangeList().merge(r.rangeList());
                        stable[m.srcChunkIndex()][m.srcChunkPart()] = SlotRange.stable(merged);
                    }
                }
            }
        }
        List<ChunkStore> chunks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ChunkStore c = cluster.chunks().get(i);
            chunks.add(new ChunkStore(c.rolePosition(), Arrays.asList(stable[i][0], stable[i][1]),
                    lists.get(i), c.proxyAddresses(), c.hosts(), c.nodeAddresses(), c.replicaSynced()));
        }
        return cluster.withChunks(chunks);
    }
}
