package io.undermoon.broker.store;

import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import java.util.List;

/**
 * The store steps of {@code POST /clusters/migrations/auto/<name>/<n>} (spec §4.13). The waiting
 * for proxies between the two steps is the caller's.
 */
public final class AutoScale {
    private AutoScale() {}

    /** What the first step decided. */
    public enum Kind { NO_OP, SCALE_OUT, SCALE_DOWN }

    /** The decision, the cluster's proxies and its epoch after the first step. */
    public record Prepared(Kind kind, List<String> proxyAddresses, long clusterEpoch) {
        public Prepared {
            proxyAddresses = List.copyOf(proxyAddresses);
        }
    }

    /**
     * Deletes the chunks without slots (so a repeated call is idempotent), then compares the node
     * count with {@code n}: equal is a no-op, fewer adds nodes up to {@code n}, more plans a shrink.
     * Errors: INVALID_CLUSTER_NAME, CLUSTER_NOT_FOUND, MIGRATION_RUNNING, then those of adding
     * nodes or planning the shrink. Unlike the reference, a failure also undoes the deletion.
     */
    public static Prepared prepare(StoreDraft d, String name, long n) throws BrokerException {
        ClusterStore c = ClusterOperations.requireCluster(d, name);
        if (c.isMigrating()) {
            throw new BrokerException(BrokerError.MIGRATION_RUNNING);
        }
        try {
            ClusterOperations.deleteFreeNodes(d, name);
        } catch (BrokerException e) {
            if (e.error() != BrokerError.FREE_NODE_NOT_FOUND) {
                throw e;
            }
        }
        long existing = d.cluster(name).nodeNumber();
        Kind kind;
        if (existing == n) {
            kind = Kind.NO_OP;
        } else if (existing < n) {
            ClusterOperations.scaleNodesTo(d, name, n);
            kind = Kind.SCALE_OUT;
        } else {
            MigrationOperations.shrink(d, name, n);
            kind = Kind.SCALE_DOWN;
        }
        ClusterStore after = d.cluster(name);
        return new Prepared(kind, after.proxyAddresses(), after.epoch());
    }

    /** After the proxies caught up: plans the expand if fewer than {@code n} nodes own slots. */
    public static void finishScaleOut(StoreDraft d, String name, long n) throws BrokerException {
        ClusterStore c = ClusterOperations.requireCluster(d, name);
        long withSlots = 0;
        for (ChunkStore chunk : c.chunks()) {
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                if (chunk.stable(part) != null) {
                    withSlots += 2;
                }
            }
        }
        if (withSlots < n) {
            MigrationOperations.expand(d, name);
        }
    }
}
