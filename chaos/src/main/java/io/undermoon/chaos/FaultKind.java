package io.undermoon.chaos;

/** What the report counts, with what each kind may cost by design. */
public enum FaultKind {
    PROXY_RESTART("kill -9 + restart of a proxy",
            "writes its masters acknowledged but had not replicated yet (the replica is promoted)"),
    REDIS_MASTER_RESTART("kill -9 + restart of a master Redis",
            "none (the append-only file is fsynced before each reply); its replica resyncs afterwards"),
    REDIS_REPLICA_RESTART("kill -9 + restart of a replica Redis",
            "none by itself; its master has no in-sync replica until the resync ends"),
    MACHINE_FAILURE("kill -9 of a proxy and its two Redis, restarted later",
            "as a proxy kill; the chunk partner then runs without replicas until the replacement has synced"),
    COORDINATOR_RESTART("kill -9 + restart of the coordinator", "none"),
    BROKER_RESTART("kill -9 + restart of the broker", "none (it recovers from its meta file)"),
    SCALE_OUT("scale out 4 -> 8 nodes", "none"),
    SCALE_IN("scale in 8 -> 4 nodes", "none"),
    CLUSTER_CREATE("create the extra cluster", "none"),
    CLUSTER_DELETE("delete the extra cluster", "none (its data goes by intent)"),
    BROKER_KILL("kill -9 + restart of one of the brokers on etcd (the coordinator's first one included)",
            "none (every acknowledged change is in etcd)", true),
    BROKER_FREEZE("SIGSTOP of one of the brokers, SIGCONT later", "none", true),
    ETCD_MEMBER_RESTART("kill -9 + restart of one etcd member of three", "none (the other two keep the quorum)", true),
    HOST_FAILURE("kill -9 of a host: a broker, an etcd member, a proxy and its two Redis; restarted later",
            "as a machine failure", true),
    BROKER_LOSS_FAILOVER("kill -9 of a broker, then at once of a master proxy of the main cluster; both restarted later",
            "as a proxy kill", true);

    final String description;
    final String lossByDesign;
    /** Only the etcd mode injects it (the report of a memory-broker run leaves it out). */
    final boolean etcdOnly;

    FaultKind(String description, String lossByDesign) {
        this(description, lossByDesign, false);
    }

    FaultKind(String description, String lossByDesign, boolean etcdOnly) {
        this.description = description;
        this.lossByDesign = lossByDesign;
        this.etcdOnly = etcdOnly;
    }
}
