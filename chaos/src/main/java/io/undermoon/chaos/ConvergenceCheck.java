package io.undermoon.chaos;

import io.undermoon.model.SlotHash;
import io.undermoon.model.broker.ClusterInfo;
import io.undermoon.model.broker.ClusterView;
import io.undermoon.local.LocalCluster;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.util.ArrayList;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import redis.clients.jedis.JedisCluster;

/**
 * Whether the system has converged: for every cluster the broker lists, no migration is visible
 * ({@code is_migrating} false), every proxy of the cluster is up, reports the cluster's epoch
 * ({@code UMCTL GETEPOCH}) and gives clients exactly the broker's slot owners ({@code CLUSTER SLOTS}),
 * and a fresh cluster client can write a key in each of the 64 slot ranges.
 */
final class ConvergenceCheck {
    private final BrokerApi broker;
    private final Map<String, LocalCluster.ProxyNode> proxies;
    private final ClusterClients clients;

    ConvergenceCheck(BrokerApi broker, LocalCluster lc, ClusterClients clients) {
        this.broker = broker;
        this.proxies = lc.proxies().stream().collect(Collectors.toMap(LocalCluster.ProxyNode::address, Function.identity()));
        this.clients = clients;
    }

    /** What disagrees now; empty when converged. */
    List<String> disagreements() {
        List<String> out = new ArrayList<>();
        List<String> names;
        try {
            names = broker.clusterNames();
        } catch (BrokerApi.Unavailable e) {
            return List.of("broker: " + e.getMessage());
        }
        for (String name : names) {
            out.addAll(cluster(name));
        }
        return out;
    }

    /** What disagrees about one cluster; empty when it has converged. */
    List<String> cluster(String name) {
        List<String> out = new ArrayList<>();
        ClusterLayout layout;
        try {
            Optional<ClusterView> view = broker.cluster(name);
            Optional<ClusterInfo> info = broker.info(name);
            if (view.isEmpty() || info.isEmpty()) {
                return List.of(name + ": not in the broker");
            }
            if (info.get().isMigrating()) {
                out.add(name + ": migration running");
            }
            layout = ClusterLayout.of(view.get());
        } catch (BrokerApi.Unavailable e) {
            return List.of("broker: " + e.getMessage());
        }
        for (String p : layout.proxies()) {
            LocalCluster.ProxyNode node = proxies.get(p);
            if (node == null || !node.process().isAlive()) {
                out.add(name + ": proxy " + p + " is down");
                continue;
            }
            try {
                RespReply epoch = call(p, "UMCTL", "GETEPOCH");
                if (!(epoch instanceof RespReply.Int e && e.value() == layout.epoch())) {
                    out.add(name + ": proxy " + p + " has epoch " + epoch.text() + ", the broker " + layout.epoch());
                }
                String slots = compareSlots(layout, call(p, "CLUSTER", "SLOTS"));
                if (slots != null) {
                    out.add(name + ": proxy " + p + " " + slots);
                }
            } catch (IOException | RuntimeException e) {
                out.add(name + ": proxy " + p + " does not answer: " + e);
            }
        }
        if (out.isEmpty()) {
            String w = unwritable(name);
            if (w != null) {
                out.add(name + ": " + w);
            }
        }
        return out;
    }

    private static RespReply call(String address, String... cmd) throws IOException {
        try (BlockingRespClient c = BlockingRespClient.connect(address, Duration.ofSeconds(3))) {
            return c.command(cmd);
        }
    }

    /** Null when the proxy's CLUSTER SLOTS gives every slot the broker's owner. */
    static String compareSlots(ClusterLayout layout, RespReply reply) {
        if (!(reply instanceof RespReply.Array entries)) {
            return "answers CLUSTER SLOTS with " + (reply instanceof RespReply.Error e ? e.message() : reply);
        }
        String[] seen = new String[SlotHash.SLOT_NUM];
        for (RespReply e : entries.items()) {
            if (!(e instanceof RespReply.Array entry) || entry.items().size() < 3
                    || !(entry.items().get(0) instanceof RespReply.Int from) || !(entry.items().get(1) instanceof RespReply.Int to)
                    || !(entry.items().get(2) instanceof RespReply.Array node) || node.items().size() < 2
                    || !(node.items().get(1) instanceof RespReply.Int port)) {
                return "answers a malformed CLUSTER SLOTS entry " + e;
            }
            String owner = node.items().get(0).text() + ":" + port.value();
            for (long s = from.value(); s <= to.value() && s < SlotHash.SLOT_NUM; s++) {
                seen[(int) s] = owner;
            }
        }
        for (int s = 0; s < SlotHash.SLOT_NUM; s++) {
            String expected = layout.ownerOf(s);
            if (expected == null ? seen[s] != null : !expected.equals(seen[s])) {
                return "shows slot " + s + " on " + seen[s] + ", the broker on " + expected;
            }
        }
        return null;
    }

    private String unwritable(String name) {
        try (JedisCluster jc = clients.connect(name, 1000, 2)) {
            for (int i = 0; i < SlotProber.RANGES; i++) {
                int slot = i * (SlotHash.SLOT_NUM / SlotProber.RANGES);
                try {
                    jc.set(SlotProber.keyFor(name, slot), "converged");
                } catch (RuntimeException e) {
                    return "slot " + slot + " not writable: " + e.getMessage();
                }
            }
            return null;
        } catch (RuntimeException e) {
            return "no client: " + e.getMessage();
        }
    }
}
