package io.undermoon.proxy.route;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.Range;
import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable snapshot of the cluster as this proxy serves it: one {@link Route} per slot, the
 * local backends, and the pre-rendered topology replies. A new table is built for every accepted
 * SETCLUSTER and published with one volatile write; the data path only reads it.
 */
public final class RouteTable {
    private final long epoch;
    private final String clusterName;
    private final ClusterConfig config;
    private final SortedMap<String, List<SlotRange>> local;
    private final SortedMap<String, List<SlotRange>> peer;
    private final Route[] slots;
    private final List<LocalBackend> locals;
    private final Topology topology;

    private RouteTable(long epoch, String clusterName, ClusterConfig config, SortedMap<String, List<SlotRange>> local,
            SortedMap<String, List<SlotRange>> peer, Route[] slots, List<LocalBackend> locals, Topology topology) {
        this.epoch = epoch;
        this.clusterName = clusterName;
        this.config = config;
        this.local = local;
        this.peer = peer;
        this.slots = slots;
        this.locals = locals;
        this.topology = topology;
    }

    /** The table before any SETCLUSTER: no cluster, no slots. */
    public static RouteTable empty(String announceAddress, String nodesVersion) {
        return build(0, "", ClusterConfig.DEFAULT, Map.of(), Map.of(), announceAddress, nodesVersion, new BackendRegistry(),
                MigrationLookup.NONE);
    }

    /**
     * Builds the routes. A local stable range is served locally, a local MIGRATING or IMPORTING
     * range is handed to its migration task; for peers an IMPORTING range wins over a MIGRATING one
     * (the importing side is where the slot is going), so that uninvolved proxies redirect
     * deterministically. Slots of 16384 and above are ignored.
     */
    public static RouteTable build(long epoch, String clusterName, ClusterConfig config,
            Map<String, List<SlotRange>> local, Map<String, List<SlotRange>> peer,
            String announceAddress, String nodesVersion, BackendRegistry registry, MigrationLookup migrations) {
        SortedMap<String, List<SlotRange>> localSorted = new TreeMap<>(local);
        SortedMap<String, List<SlotRange>> peerSorted = new TreeMap<>(peer);
        Route[] slots = new Route[SlotHash.SLOT_NUM];
        boolean[] fromImporting = new boolean[SlotHash.SLOT_NUM];
        for (var e : peerSorted.entrySet()) {
            Route.Peer route = new Route.Peer(e.getKey());
            for (SlotRange sr : e.getValue()) {
                boolean importing = sr.tag() instanceof SlotRangeTag.Importing;
                for (Range r : sr.rangeList().ranges()) {
                    for (int s = r.start(); s <= Math.min(r.end(), SlotHash.SLOT_NUM - 1); s++) {
                        if (slots[s] == null || (importing && !fromImporting[s])) {
                            slots[s] = route;
                            fromImporting[s] = importing;
                        }
                    }
                }
            }
        }
        List<LocalBackend> locals = new ArrayList<>();
        for (var e : localSorted.entrySet()) {
            LocalBackend backend = registry.backend(e.getKey());
            locals.add(backend);
            Route.Local stable = new Route.Local(backend);
            for (SlotRange sr : e.getValue()) {
                Route route = stable;
                var task = sr.tag().isStable() ? null : migrations.task(clusterName, sr);
                if (task instanceof io.undermoon.proxy.migration.MigratingTask m) {
                    route = new Route.Migrating(backend, m);
                } else if (task instanceof io.undermoon.proxy.migration.ImportingTask i) {
                    route = new Route.Importing(backend, i);
                }
                for (Range r : sr.rangeList().ranges()) {
                    for (int s = r.start(); s <= Math.min(r.end(), SlotHash.SLOT_NUM - 1); s++) {
                        slots[s] = route;
                    }
                }
            }
        }
        Topology topology = Topology.render(clusterName, epoch, announceAddress, nodesVersion, localSorted, peerSorted,
                migrations);
        return new RouteTable(epoch, clusterName, config, Collections.unmodifiableSortedMap(localSorted),
                Collections.unmodifiableSortedMap(peerSorted), slots, List.copyOf(locals), topology);
    }

    public Route route(int slot) {
        return slots[slot];
    }

    public long epoch() {
        return epoch;
    }

    public String clusterName() {
        return clusterName;
    }

    public boolean hasCluster() {
        return !clusterName.isEmpty();
    }

    public ClusterConfig config() {
        return config;
    }

    public SortedMap<String, List<SlotRange>> local() {
        return local;
    }

    public SortedMap<String, List<SlotRange>> peer() {
        return peer;
    }

    /** Local backends in address order. */
    public List<LocalBackend> locals() {
        return locals;
    }

    public Topology topology() {
        return topology;
    }

    /** Number of slots with an owner. */
    public int coveredSlots() {
        int n = 0;
        for (Route r : slots) {
            if (r != null) {
                n++;
            }
        }
        return n;
    }

    /** Slot ranges per owner address, for debugging output. */
    public Map<String, List<String>> describe() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        local.forEach((a, l) -> out.put(a, l.stream().map(SlotRange::toString).toList()));
        peer.forEach((a, l) -> out.put("peer " + a, l.stream().map(SlotRange::toString).toList()));
        return out;
    }
}
