package io.undermoon.broker.store;

import io.undermoon.model.broker.ClusterStore;
import java.util.ArrayList;

/** Setting epochs by hand: a forced bump and the recovery after a broker failover (spec §4.19, §4.21). */
public final class EpochOperations {
    /**
     * The largest epoch the broker takes from outside (a forced bump, a store put over HTTP, a proxy's
     * epoch during recovery). Every change adds one to the global epoch; above this value an operator's
     * typo would leave too few (at 2^63-1: no) bumps, and every later change would fail.
     */
    public static final long MAX_EPOCH = Long.MAX_VALUE / 2;

    private EpochOperations() {}

    /**
     * Sets the global epoch and every cluster epoch to {@code epoch}: EPOCH_SMALLER_THAN_CURRENT unless
     * larger, INVALID_REQUEST above {@link #MAX_EPOCH}.
     */
    public static void forceBump(StoreDraft d, long epoch) throws BrokerException {
        if (epoch > MAX_EPOCH) {
            throw new BrokerException(BrokerError.INVALID_REQUEST, "epoch " + epoch + " is above the largest the broker sets, "
                    + MAX_EPOCH);
        }
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
     * @throws BrokerException INVALID_METADATA when a proxy reports an epoch above {@link #MAX_EPOCH}
     */
    public static long recover(StoreDraft d, long maxProxyEpoch) throws BrokerException {
        if (maxProxyEpoch > MAX_EPOCH - 2) {
            throw new BrokerException(BrokerError.INVALID_METADATA, "a proxy reports epoch " + maxProxyEpoch
                    + ", above the largest the broker sets (" + MAX_EPOCH + "); reset it with UMCTL SETCLUSTER ... FORCE");
        }
        long epoch = Math.max(maxProxyEpoch + 2, Math.addExact(d.globalEpoch(), 1));
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
