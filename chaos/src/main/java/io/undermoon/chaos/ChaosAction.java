package io.undermoon.chaos;

/**
 * What the fault schedule draws from. Each round of the schedule deals every enabled action
 * {@link #weight} times in a seeded random order, so a short run still sees every kind.
 */
public enum ChaosAction {
    /** kill -9 a proxy (usually one serving a cluster), restart it after a short pause, re-register it. */
    PROXY_RESTART(2),
    /** kill -9 one Redis (a master or a replica of a cluster), restart it on the same port and data directory. */
    REDIS_RESTART(2),
    /** kill -9 a proxy and both of its Redis at once; restart all three later and re-register the proxy. */
    MACHINE_FAILURE(1),
    /** kill -9 the coordinator and restart it. */
    COORDINATOR_RESTART(1),
    /** kill -9 the broker and restart it (it recovers from its meta file). */
    BROKER_RESTART(1),
    /** scale the main cluster out (4 to 8 nodes) or back in, through the auto-scale API until done. */
    SCALE(1),
    /** create the extra cluster (with a checker client of its own), or delete it. */
    CLUSTER_LIFECYCLE(1);

    final int weight;

    ChaosAction(int weight) {
        this.weight = weight;
    }
}
