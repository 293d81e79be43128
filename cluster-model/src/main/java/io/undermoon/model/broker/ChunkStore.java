package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.undermoon.model.SlotRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A chunk: 2 proxies on 2 hosts, 4 nodes. Proxy {@code P0 = proxy_addresses[0]} owns nodes N0 and
 * N1, {@code P1} owns N2 and N3; {@code hosts[i]} is the host of {@code proxy_addresses[i]}.
 *
 * <p>{@code stable_slots[part]} is the part's master slot set (tag None), or null when the part owns
 * nothing (a freshly added chunk, or one drained by a shrink). {@code migrating_slots[part]} lists the
 * migration records in which the part is the source or the destination.
 *
 * <p>{@code replica_synced[part]} (ours) is true once the replica of the part's master has reported
 * a completed sync of that master (the coordinator reads it from the replica's proxy). It belongs to
 * the pair (master node, replica node): every change that gives a part another master or another
 * replica ({@link #withRolePosition}, {@link #withProxy}) resets it to false, and a new chunk starts
 * with false. A failover never promotes an unsynced replica of a part that holds data. Optional when
 * read (the reference's stores have no such field: false, false), and written only when a replica
 * has synced, so a store without any is exactly the reference's JSON.
 */
@JsonPropertyOrder({"role_position", "stable_slots", "migrating_slots", "proxy_addresses", "hosts", "node_addresses",
        "replica_synced"})
public record ChunkStore(
        @JsonProperty(value = "role_position", required = true) ChunkRolePosition rolePosition,
        @JsonProperty(value = "stable_slots", required = true) List<SlotRange> stableSlots,
        @JsonProperty(value = "migrating_slots", required = true) List<List<MigrationSlotRangeStore>> migratingSlots,
        @JsonProperty(value = "proxy_addresses", required = true) List<String> proxyAddresses,
        @JsonProperty(value = "hosts", required = true) List<String> hosts,
        @JsonProperty(value = "node_addresses", required = true) List<String> nodeAddresses,
        @JsonProperty("replica_synced") @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = NoneSynced.class)
        List<Boolean> replicaSynced) {

    public static final int PARTS = 2;
    public static final int NODES_PER_PROXY = 2;
    public static final int NODES = PARTS * NODES_PER_PROXY;

    @JsonCreator
    public ChunkStore {
        Objects.requireNonNull(rolePosition, "role_position");
        stableSlots = nullableList(Objects.requireNonNull(stableSlots, "stable_slots"), PARTS, "stable_slots");
        for (SlotRange s : stableSlots) {
            if (s != null && !s.tag().isStable()) {
                throw new IllegalArgumentException("stable_slots must have the tag None");
            }
        }
        Objects.requireNonNull(migratingSlots, "migrating_slots");
        if (migratingSlots.size() != PARTS) {
            throw new IllegalArgumentException("migrating_slots must have " + PARTS + " lists");
        }
        List<List<MigrationSlotRangeStore>> lists = new ArrayList<>(PARTS);
        for (List<MigrationSlotRangeStore> l : migratingSlots) {
            Objects.requireNonNull(l, "migrating_slots list");
            lists.add(List.copyOf(l));
        }
        migratingSlots = List.copyOf(lists);
        proxyAddresses = exactly(proxyAddresses, PARTS, "proxy_addresses");
        hosts = exactly(hosts, PARTS, "hosts");
        nodeAddresses = exactly(nodeAddresses, NODES, "node_addresses");
        if (replicaSynced == null) {
            replicaSynced = NOT_SYNCED;
        } else {
            if (replicaSynced.size() != PARTS) {
                throw new IllegalArgumentException("replica_synced must have " + PARTS + " booleans");
            }
            replicaSynced = List.copyOf(replicaSynced); // refuses a null element
        }
    }

    private static final List<Boolean> NOT_SYNCED = List.of(false, false);

    /** Jackson's filter for {@code replica_synced}: "equal" (left out) when no replica has synced. */
    static final class NoneSynced {
        @Override
        public boolean equals(Object value) {
            return NOT_SYNCED.equals(value);
        }

        @Override
        public int hashCode() {
            return 0;
        }
    }

    /** A chunk whose replicas have not synced (the reference's fields only). */
    public ChunkStore(ChunkRolePosition rolePosition, List<SlotRange> stableSlots,
                      List<List<MigrationSlotRangeStore>> migratingSlots, List<String> proxyAddresses, List<String> hosts,
                      List<String> nodeAddresses) {
        this(rolePosition, stableSlots, migratingSlots, proxyAddresses, hosts, nodeAddresses, NOT_SYNCED);
    }

    /** A chunk with Normal roles and no migration. */
    public static ChunkStore of(List<String> proxyAddresses, List<String> hosts, List<String> nodeAddresses,
                                SlotRange stable0, SlotRange stable1) {
        return new ChunkStore(ChunkRolePosition.Normal, Arrays.asList(stable0, stable1),
                List.of(List.of(), List.of()), proxyAddresses, hosts, nodeAddresses);
    }

    public static boolean isPart(int part) {
        return part == 0 || part == 1;
    }

    /** The part's stable slots, or null. */
    public SlotRange stable(int part) {
        return stableSlots.get(part);
    }

    public List<MigrationSlotRangeStore> migrating(int part) {
        return migratingSlots.get(part);
    }

    /** True if either part has a migration record. */
    @JsonIgnore
    public boolean isMigrating() {
        return !migratingSlots.get(0).isEmpty() || !migratingSlots.get(1).isEmpty();
    }

    /** True if neither part has stable slots. */
    @JsonIgnore
    public boolean hasNoStableSlots() {
        return stableSlots.get(0) == null && stableSlots.get(1) == null;
    }

    /** The two nodes of the proxy at {@code part}. */
    public List<String> nodesOf(int part) {
        return nodeAddresses.subList(part * NODES_PER_PROXY, (part + 1) * NODES_PER_PROXY);
    }

    /** The part (0 or 1) of the proxy with this address, or -1. */
    public int partOf(String proxyAddress) {
        return proxyAddresses.indexOf(proxyAddress);
    }

    /** A copy with other masters; a part whose master or replica changes is no longer synced. */
    public ChunkStore withRolePosition(ChunkRolePosition role) {
        ChunkStore moved = new ChunkStore(role, stableSlots, migratingSlots, proxyAddresses, hosts, nodeAddresses, replicaSynced);
        return moved.keepingSyncOfUnchangedPairs(this);
    }

    public ChunkStore withStable(int part, SlotRange slots) {
        List<SlotRange> s = new ArrayList<>(stableSlots);
        s.set(part, slots);
        return new ChunkStore(rolePosition, s, migratingSlots, proxyAddresses, hosts, nodeAddresses, replicaSynced);
    }

    public ChunkStore withMigrating(int part, List<MigrationSlotRangeStore> records) {
        List<List<MigrationSlotRangeStore>> m = new ArrayList<>(migratingSlots);
        m.set(part, records);
        return new ChunkStore(rolePosition, stableSlots, m, proxyAddresses, hosts, nodeAddresses, replicaSynced);
    }

    // ---- replication pairs

    /** The node index (0..3) of the part's master: N0 or N3 for part 0, N2 or N1 for part 1. */
    public static int masterNodeIndex(ChunkRolePosition role, int part) {
        if (part == 0) {
            return role == ChunkRolePosition.SecondChunkMaster ? 3 : 0;
        }
        return role == ChunkRolePosition.FirstChunkMaster ? 1 : 2;
    }

    /** The part's master node address. */
    public String masterOf(int part) {
        return nodeAddresses.get(masterNodeIndex(rolePosition, part));
    }

    /** The address of the replica of the part's master (its peer N3-i). */
    public String replicaOf(int part) {
        return nodeAddresses.get(NODES - 1 - masterNodeIndex(rolePosition, part));
    }

    /** The part (0 or 1) of the proxy that holds the part's master. */
    public int proxyPartOfMaster(int part) {
        return masterNodeIndex(rolePosition, part) / NODES_PER_PROXY;
    }

    /** True once the replica of the part's master has completed a sync of it. */
    public boolean replicaSynced(int part) {
        return replicaSynced.get(part);
    }

    /** True when the part owns slots or takes part in a migration: its master holds data. */
    public boolean holdsData(int part) {
        return stable(part) != null || !migrating(part).isEmpty();
    }

    public ChunkStore withReplicaSynced(int part, boolean synced) {
        if (replicaSynced.get(part) == synced) {
            return this;
        }
        List<Boolean> s = new ArrayList<>(replicaSynced);
        s.set(part, synced);
        return new ChunkStore(rolePosition, stableSlots, migratingSlots, proxyAddresses, hosts, nodeAddresses, s);
    }

    /** This chunk with each part's flag kept where its (master, replica) pair is the one in {@code before}, else false. */
    private ChunkStore keepingSyncOfUnchangedPairs(ChunkStore before) {
        List<Boolean> s = new ArrayList<>(PARTS);
        for (int part = 0; part < PARTS; part++) {
            boolean samePair = masterOf(part).equals(before.masterOf(part)) && replicaOf(part).equals(before.replicaOf(part));
            s.add(samePair && before.replicaSynced(part));
        }
        return s.equals(replicaSynced) ? this
                : new ChunkStore(rolePosition, stableSlots, migratingSlots, proxyAddresses, hosts, nodeAddresses, s);
    }

    /** A copy with the proxy at {@code part} replaced by another proxy (address, host, its 2 nodes). */
    public ChunkStore withProxy(int part, String proxyAddress, String host, List<String> nodes) {
        if (nodes.size() != NODES_PER_PROXY) {
            throw new IllegalArgumentException("a proxy has exactly 2 nodes");
        }
        List<String> p = new ArrayList<>(proxyAddresses);
        p.set(part, proxyAddress);
        List<String> h = new ArrayList<>(hosts);
        h.set(part, host);
        List<String> n = new ArrayList<>(nodeAddresses);
        n.set(part * NODES_PER_PROXY, nodes.get(0));
        n.set(part * NODES_PER_PROXY + 1, nodes.get(1));
        return new ChunkStore(rolePosition, stableSlots, migratingSlots, p, h, n, replicaSynced).keepingSyncOfUnchangedPairs(this);
    }

    private static List<SlotRange> nullableList(List<SlotRange> in, int size, String name) {
        if (in.size() != size) {
            throw new IllegalArgumentException(name + " must have " + size + " entries");
        }
        return Collections.unmodifiableList(new ArrayList<>(in));
    }

    private static List<String> exactly(List<String> in, int size, String name) {
        Objects.requireNonNull(in, name);
        if (in.size() != size) {
            throw new IllegalArgumentException(name + " must have " + size + " entries");
        }
        for (String s : in) {
            Objects.requireNonNull(s, name);
        }
        return List.copyOf(in);
    }
}
