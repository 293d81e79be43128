package io.undermoon.chaos;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the fault schedule draws from. Each round of the schedule deals every enabled action
 * {@link #weight} times in a seeded random order, so a short run still sees every kind.
 */
public enum ChaosAction {
    /** kill -9 a proxy (usually one serving a cluster), restart it after a short pause, re-register it. */
    PROXY_RESTART(2),
    /** kill -9 one Redis (a master or a replica of a cluster), restart it on the same port and data directory. */
    REDIS_RESTART(2),
    /**
     * kill -9 a proxy and both of its Redis at once; restart all three later and re-register the proxy. In the etcd
     * mode the broker and the etcd member of the proxy's host die with them.
     */
    MACHINE_FAILURE(1),
    /** kill -9 the coordinator and restart it. */
    COORDINATOR_RESTART(1),
    /** kill -9 the broker and restart it (it recovers from its meta file); in the etcd mode any one of the brokers. */
    BROKER_RESTART(1),
    /** scale the main cluster out (4 to 8 nodes) or back in, through the auto-scale API until done. */
    SCALE(1),
    /** create the extra cluster (with a checker client of its own), or delete it. */
    CLUSTER_LIFECYCLE(1),
    /** Etcd mode: SIGSTOP one of the brokers for a while (a hung machine), then SIGCONT. */
    BROKER_FREEZE(1),
    /** Etcd mode: kill -9 one etcd member and restart it on its data. */
    ETCD_MEMBER_RESTART(1),
    /**
     * Etcd mode: kill -9 a broker, then at once a master proxy of the main cluster; the failover is
     * timed from the proxy kill until a live broker has committed it and until its slots are writable.
     */
    BROKER_LOSS_FAILOVER(1);

    /** The actions of the memory-broker mode (the default). */
    public static final Set<ChaosAction> CLASSIC = Collections.unmodifiableSet(EnumSet.range(PROXY_RESTART, CLUSTER_LIFECYCLE));
    /** The actions that need several brokers on etcd. */
    public static final Set<ChaosAction> ETCD_ONLY = Collections.unmodifiableSet(EnumSet.range(BROKER_FREEZE, BROKER_LOSS_FAILOVER));

    final int weight;

    ChaosAction(int weight) {
        this.weight = weight;
    }
}
