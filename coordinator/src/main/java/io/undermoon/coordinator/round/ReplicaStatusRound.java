package io.undermoon.coordinator.round;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.broker.BrokerClient;
import io.undermoon.coordinator.loop.Batches;
import io.undermoon.coordinator.loop.Round;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.coordinator.proxy.ProxyClient;
import io.undermoon.model.broker.ReplicaSyncState;
import io.undermoon.model.umctl.ReplStatus;
import io.undermoon.model.umctl.UmctlParseException;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;

/**
 * Ours: the replica state loop's round. Asks every proxy except the failed ones, at most 30 at once,
 * {@code UMCTL REPLSTATUS}, and reports to the broker ({@code POST /replicas/sync_state}) the
 * replicas whose sync state changed since this coordinator last reported it: transitions only, so
 * the broker's store is written rarely. A replica whose proxy says {@code synced=unknown} is not
 * reported (the broker keeps what it knows). Everything is reported again every
 * {@code fullReportEvery}, after {@link #requestFullReport()} (the failover loop asks for it when
 * the broker refused a failover), and for the replicas of a proxy that did not answer the round
 * before; the broker writes only what differs, so a repeat costs one request.
 *
 * <p>A proxy that does not know REPLSTATUS (a reference proxy) is a problem of the round, logged
 * once; its replicas keep the broker's "not synced", so a failover that would promote one of them
 * is refused until an operator forces it.
 */
public final class ReplicaStatusRound implements Round {
    static final int BATCH = 30;
    static final List<String> REPLSTATUS = List.of("UMCTL", "REPLSTATUS");

    private record Known(String master, boolean synced) {}

    private final BrokerClient broker;
    private final ProxyClient proxies;
    private final ExecutorService executor;
    private final LongSupplier nanoTime;
    private final long fullReportEveryNanos;
    /** What this coordinator last reported, by replica node. Used by the loop thread only. */
    private final Map<String, Known> reported = new HashMap<>();
    private long lastFullReport;
    private boolean reportedOnce;
    private volatile boolean fullReportRequested;

    public ReplicaStatusRound(BrokerClient broker, ProxyClient proxies, ExecutorService executor, LongSupplier nanoTime,
            Duration fullReportEvery) {
        this.broker = broker;
        this.proxies = proxies;
        this.executor = executor;
        this.nanoTime = nanoTime;
        this.fullReportEveryNanos = fullReportEvery.toNanos();
    }

    /** The next round reports every replica, changed or not. */
    public void requestFullReport() {
        fullReportRequested = true;
    }

    @Override
    public List<RoundError> run() throws InterruptedException {
        ProxyTargets targets = ProxyTargets.fetch(broker);
        proxies.retainOnly(targets.addresses());
        List<RoundError> errors = new ArrayList<>(targets.errors());
        Map<String, List<ReplStatus>> byProxy = new TreeMap<>();
        errors.addAll(Batches.runConcurrently(executor, targets.addresses(), BATCH, address -> {
            try {
                List<ReplStatus> statuses = ask(address);
                synchronized (byProxy) {
                    byProxy.put(address, statuses);
                }
                return List.of();
            } catch (IOException e) {
                return List.of(new RoundError("replstatus " + address, "UMCTL REPLSTATUS to proxy " + address + " failed: "
                        + e.getMessage()));
            } catch (UmctlParseException e) {
                return List.of(new RoundError("replstatus " + address, "UMCTL REPLSTATUS of proxy " + address
                        + " is unreadable: " + e.getMessage()));
            }
        }));
        long now = nanoTime.getAsLong();
        boolean full = fullReportRequested || !reportedOnce || now - lastFullReport >= fullReportEveryNanos;
        fullReportRequested = false;
        Map<String, Known> seen = new HashMap<>();
        List<ReplicaSyncState> changes = new ArrayList<>();
        synchronized (byProxy) {
            for (List<ReplStatus> statuses : byProxy.values()) {
                for (ReplStatus s : statuses) {
                    if (s instanceof ReplStatus.Replica r && r.synced() != ReplStatus.Synced.UNKNOWN) {
                        Known k = new Known(r.master(), r.synced() == ReplStatus.Synced.YES);
                        seen.put(r.node(), k);
                        if (full || !k.equals(reported.get(r.node()))) {
                            changes.add(new ReplicaSyncState(r.node(), r.master(), k.synced()));
                        }
                    }
                }
            }
        }
        if (!changes.isEmpty()) {
            try {
                broker.reportReplicaSync(changes);
            } catch (BrokerCallException e) {
                errors.add(new RoundError("replica sync report", "reporting " + changes.size()
                        + " replica states to the broker: " + e.getMessage()));
                if (full) {
                    fullReportRequested = true;
                }
                return errors;
            }
        }
        // a replica not seen this round (its proxy did not answer, or it left) is reported afresh when seen again
        reported.keySet().retainAll(seen.keySet());
        reported.putAll(seen);
        if (full) {
            reportedOnce = true;
            lastFullReport = now;
        }
        return errors;
    }

    private List<ReplStatus> ask(String address) throws IOException, UmctlParseException {
        RespReply reply = proxies.send(address, REPLSTATUS);
        if (reply instanceof RespReply.Error e) {
            throw new IOException("the proxy answered " + e.message() + " (a proxy without UMCTL REPLSTATUS?)");
        }
        if (!(reply instanceof RespReply.Array a)) {
            throw new IOException("expected an array, got " + reply);
        }
        List<ReplStatus> out = new ArrayList<>(a.items().size());
        for (RespReply item : a.items()) {
            if (!(item instanceof RespReply.Bulk b)) {
                throw new IOException("expected bulk strings, got " + item);
            }
            ReplStatus s = ReplStatus.parse(b.text());
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}
