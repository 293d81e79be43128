package io.undermoon.chaos;

import io.undermoon.local.LocalCluster;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an operator does: every {@value #INTERVAL_MILLIS} ms, a proxy the broker lists as failed but
 * that is running and answers PING (and has no fault in progress) is registered again, which
 * clears its failed state. A failover decided on a stale report can mark a restarted proxy failed;
 * without this it would stay out of the free pool for good.
 */
final class ProxyReviver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyReviver.class);
    static final long INTERVAL_MILLIS = 2000;

    private final LocalCluster lc;
    private final BrokerApi broker;
    private final ProcessFaults faults;
    private final Predicate<String> busy;
    private final AtomicInteger revived = new AtomicInteger();
    private final Background background;

    ProxyReviver(LocalCluster lc, BrokerApi broker, ProcessFaults faults, Predicate<String> busy) {
        this.lc = lc;
        this.broker = broker;
        this.faults = faults;
        this.busy = busy;
        this.background = new Background("chaos-reviver", this::loop);
    }

    void start() {
        background.start();
    }

    /** Proxies re-registered by the reviver. */
    int revived() {
        return revived.get();
    }

    private void loop() {
        while (!background.stopping()) {
            try {
                Thread.sleep(INTERVAL_MILLIS);
                reviveOnce();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.debug("reviver round failed: {}", e.toString());
            }
        }
    }

    /** One round; returns the proxies re-registered. */
    int reviveOnce() {
        List<String> failed = broker.failedProxies();
        int n = 0;
        for (LocalCluster.ProxyNode p : lc.proxies()) {
            if (failed.contains(p.address()) && p.process().isAlive() && !busy.test(p.address())
                    && ProcessFaults.pong(p.address())) {
                faults.register(p);
                revived.incrementAndGet();
                n++;
                LOG.info("re-registered {}, which the broker had marked failed while it is running", p.address());
            }
        }
        return n;
    }

    @Override
    public void close() {
        background.close();
    }
}
