package io.undermoon.proxy;

import io.undermoon.proxy.command.CommandTable;
import io.undermoon.proxy.meta.ClusterMetaState;
import io.undermoon.proxy.meta.ReplicationState;
import java.util.concurrent.atomic.AtomicLong;

/** The proxy's shared services, handed to every session. All of them are thread-safe. */
public final class ProxyContext {
    private final ProxyConfig config;
    private final ClusterMetaState meta;
    private final ReplicationState replication;
    private final SlowLog slowLog;
    private final ProxyStats stats = new ProxyStats();
    private final AtomicLong sessionIds = new AtomicLong();
    private final Runnable shutdown;

    public ProxyContext(ProxyConfig config, ReplicationState replication, Runnable shutdown) {
        this.config = config;
        this.meta = new ClusterMetaState(config);
        this.replication = replication;
        this.slowLog = new SlowLog(config.slowlogLen(), config.slowlogLogSlowerThan(), config.slowlogSampleRate());
        this.shutdown = shutdown;
    }

    public ProxyConfig config() {
        return config;
    }

    public ClusterMetaState meta() {
        return meta;
    }

    public ReplicationState replication() {
        return replication;
    }

    public SlowLog slowLog() {
        return slowLog;
    }

    public ProxyStats stats() {
        return stats;
    }

    public CommandTable commands() {
        return CommandTable.get();
    }

    public long nextSessionId() {
        return sessionIds.getAndIncrement();
    }

    /** Stops the proxy (UMCTL SHUTDOWN). */
    public void shutdown() {
        // never on an event loop: stopping waits for the loops to terminate
        Thread.ofPlatform().name("proxy-shutdown").start(shutdown);
    }
}
