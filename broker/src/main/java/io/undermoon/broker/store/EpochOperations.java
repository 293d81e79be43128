package io.undermoon.broker.store;

import io.undermoon.model.broker.ClusterStore;
import java.util.ArrayList;

/** Setting epochs by hand: a forced bump and the recovery after a broker failover (spec §4.19, §4.21). */
public final class EpochOperations {
    private EpochOperations() {}

    /** Sets the global epoch and every cluster epoch to {@code epoch}: EPOCH_SMALLER_THAN_CURRENT unless larger. */
    public static void forceBump(StoreDraft d, long epoch) throws BrokerException {
        if (epoch <= d.globalEpoch()) {
            throw new BrokerException(BrokerError.EPOCH_SMALLER_THAN_CURRENT);
        }
        setAll(d, epoch);
    }

    /**
     * After promoting a replica broker: every epoch becomes {@code max(maxProxyEpoch + 2, global + 1)},
     * larger than anything the proxies have seen ({@code maxProxyEpoch} is 0 if none answered).
     *
     * @return the new epoch
     */
    public static long recover(StoreDraft d, long maxProxyEpoch) {
        long epoch = Math.max(Math.addExact(maxProxyEpoch, 2), Math.addExact(d.globalEpoch(), 1));
        setAll(d, epoch);
        return epoch;
    }

    private static void setAll(StoreDraft d, long epoch) {
        d.setGlobalEpoch(epoch);
        for (ClusterStore c : new ArrayList<>(d.clusters().values())) {
            d.putCluster(c.withEpoch(epoch));
        }
    }
}
