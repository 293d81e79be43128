package io.undermoon.coordinator.round;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.broker.BrokerClient;
import io.undermoon.coordinator.loop.Batches;
import io.undermoon.coordinator.loop.Round;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.coordinator.proxy.MetaPusher;
import io.undermoon.coordinator.proxy.ProxyClient;
import io.undermoon.coordinator.proxy.ProxyCommandException;
import io.undermoon.model.broker.MigrationTaskMeta;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migration state sync loop's round (spec §6.6): ask every proxy except the failed ones, 10 at
 * a time, for its finished migration tasks ({@code UMCTL INFOMGR}); commit each task to the broker
 * ({@code PUT /clusters/migrations}; 404 means another coordinator or the other side of the task
 * committed it already) and then push the new metadata to the task's <em>destination first</em>,
 * then its source, so that the moved slots always have an owner. Any error ends that proxy's tasks
 * for this round; the next round retries.
 */
public final class MigrationSyncRound implements Round {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationSyncRound.class);
    static final int BATCH = 10;
    static final List<String> INFOMGR = List.of("UMCTL", "INFOMGR");

    private final BrokerClient broker;
    private final ProxyClient proxies;
    private final MetaPusher pusher;
    private final ExecutorService executor;

    public MigrationSyncRound(BrokerClient broker, ProxyClient proxies, boolean compress, ExecutorService executor) {
        this.broker = broker;
        this.proxies = proxies;
        this.pusher = new MetaPusher(proxies, compress);
        this.executor = executor;
    }

    @Override
    public List<RoundError> run() throws InterruptedException {
        ProxyTargets targets = ProxyTargets.fetch(broker);
        proxies.retainOnly(targets.addresses());
        List<RoundError> errors = new ArrayList<>(targets.errors());
        errors.addAll(Batches.run(executor, targets.addresses(), BATCH, this::syncProxy));
        return errors;
    }

    private List<RoundError> syncProxy(String address) {
        List<MigrationTask> tasks;
        try {
            RespReply reply = proxies.send(address, INFOMGR);
            tasks = InfoMgrReply.parse(reply);
        } catch (IOException e) {
            return List.of(new RoundError(address, "UMCTL INFOMGR to proxy " + address + " failed: " + e.getMessage()));
        } catch (InfoMgrReply.InvalidReplyException e) {
            return List.of(new RoundError(address, "proxy " + address + ": " + e.getMessage()));
        }
        for (MigrationTask task : tasks) {
            try {
                commitAndPush(task);
            } catch (BrokerCallException | ProxyCommandException e) {
                return List.of(new RoundError(address, "migration task '" + task + "' reported by proxy " + address + ": "
                        + e.getMessage()));
            }
        }
        return List.of();
    }

    /** Commits one finished task, then pushes the metadata to its destination and then its source. */
    void commitAndPush(MigrationTask task) throws BrokerCallException, ProxyCommandException {
        broker.commitMigration(new MigrationTaskMeta(task.clusterName(), task.slotRange()));
        LOG.debug("committed migration task {}", task);
        pushTo(task.meta().dstProxyAddress());
        pushTo(task.meta().srcProxyAddress());
    }

    private void pushTo(String proxyAddress) throws BrokerCallException, ProxyCommandException {
        Optional<ProxyView> view = broker.proxy(proxyAddress);
        if (view.isPresent()) {
            pusher.push(view.get());
        }
    }
}
