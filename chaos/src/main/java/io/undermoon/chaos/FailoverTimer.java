package io.undermoon.chaos;

import io.undermoon.model.SlotHash;
import io.undermoon.model.broker.ClusterView;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import redis.clients.jedis.JedisCluster;

/**
 * Times the failover of a killed master proxy of a cluster: from the kill until a live broker no
 * longer lists the proxy in the cluster (the failover is committed in the store), and until a key
 * in every slot range the proxy mastered can be written again through a fresh cluster client.
 * Each wait is bounded by {@value #TIMEOUT_MILLIS} ms.
 */
final class FailoverTimer {
    static final long TIMEOUT_MILLIS = 60_000;

    /** Milliseconds from the kill; -1 when it did not happen within the timeout. */
    record Result(long committedMillis, long writableMillis, String outcome) {}

    private final BrokerApi broker;
    private final ClusterClients clients;
    private final RunClock clock;

    FailoverTimer(BrokerApi broker, ClusterClients clients, RunClock clock) {
        this.broker = broker;
        this.clients = clients;
        this.clock = clock;
    }

    /** The masters of {@code proxy} in the layout, or an empty list when it masters nothing there. */
    static List<String> mastersOf(ClusterLayout layout, String proxy) {
        return layout.masters().stream().filter(m -> proxy.equals(layout.proxyOfNode().get(m))).toList();
    }

    /** Waits for the failover of {@code proxy}, killed at {@code killedAt}, which mastered the given slots of {@code cluster}. */
    Result await(String cluster, String proxy, BitSet slots, long killedAt) {
        long committed = -1;
        long deadline = killedAt + TIMEOUT_MILLIS;
        while (clock.now() < deadline) {
            try {
                Optional<ClusterView> v = broker.cluster(cluster);
                if (v.isEmpty()) {
                    return new Result(-1, -1, "the cluster was deleted");
                }
                if (!ClusterLayout.of(v.get()).proxies().contains(proxy)) {
                    committed = clock.now() - killedAt;
                    break;
                }
            } catch (BrokerApi.Unavailable e) {
                // no broker answered: try again
            }
            RunClock.sleep(100);
        }
        if (committed < 0) {
            return new Result(-1, -1, "not committed within " + TIMEOUT_MILLIS / 1000 + " s");
        }
        List<Integer> pending = probeSlots(slots);
        while (clock.now() < deadline) {
            try (JedisCluster jc = clients.connect(cluster, 1000, 1)) {
                for (Iterator<Integer> it = pending.iterator(); it.hasNext(); ) {
                    int slot = it.next();
                    jc.set(SlotProber.keyFor(cluster, slot), "failover");
                    it.remove();
                }
            } catch (RuntimeException e) {
                // not yet: a fresh client next round
            }
            if (pending.isEmpty()) {
                return new Result(committed, clock.now() - killedAt, "ok");
            }
            RunClock.sleep(100);
        }
        return new Result(committed, -1, "slots " + pending + " not writable within " + TIMEOUT_MILLIS / 1000 + " s");
    }

    /** The first slot of each range of the set, and each probe slot (one per 256) inside it. */
    static List<Integer> probeSlots(BitSet slots) {
        List<Integer> out = new ArrayList<>();
        for (int s = slots.nextSetBit(0); s >= 0; s = slots.nextSetBit(s + 1)) {
            if (s == 0 || !slots.get(s - 1) || s % (SlotHash.SLOT_NUM / SlotProber.RANGES) == 0) {
                out.add(s);
            }
        }
        return out;
    }
}
