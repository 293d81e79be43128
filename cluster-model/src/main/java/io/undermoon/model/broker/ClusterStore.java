package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.undermoon.model.ClusterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A cluster as the broker stores it: its epoch, name, config and chunks, in allocation order.
 * The constructor checks that every migration record points at chunks of this cluster and sits in
 * the list of its own side (a migrating record in its source part, an importing one in its
 * destination part), so views and planners can rely on it.
 */
@JsonPropertyOrder({"epoch", "name", "config", "chunks"})
public record ClusterStore(
        @JsonProperty(value = "epoch", required = true) long epoch,
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty("config") ClusterConfig config,
        @JsonProperty(value = "chunks", required = true) List<ChunkStore> chunks) {

    @JsonCreator
    public ClusterStore {
        Objects.requireNonNull(name, "name");
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch");
        }
        if (config == null) {
            config = ClusterConfig.DEFAULT;
        }
        chunks = List.copyOf(Objects.requireNonNull(chunks, "chunks"));
        for (int i = 0; i < chunks.size(); i++) {
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                for (MigrationSlotRangeStore r : chunks.get(i).migrating(part)) {
                    MigrationMetaStore m = r.meta();
                    if (m.srcChunkIndex() >= chunks.size() || m.dstChunkIndex() >= chunks.size()) {
                        throw new IllegalArgumentException("migration record of chunk " + i + " points at a missing chunk");
                    }
                    boolean ownSide = r.isMigrating()
                            ? m.srcChunkIndex() == i && m.srcChunkPart() == part
                            : m.dstChunkIndex() == i && m.dstChunkPart() == part;
                    if (!ownSide) {
                        throw new IllegalArgumentException("migration record of chunk " + i + " part " + part
                                + " is not stored on its own side");
                    }
                }
            }
        }
    }

    public ClusterStore withEpoch(long newEpoch) {
        return new ClusterStore(newEpoch, name, config, chunks);
    }

    public ClusterStore withConfig(ClusterConfig newConfig) {
        return new ClusterStore(epoch, name, newConfig, chunks);
    }

    public ClusterStore withChunks(List<ChunkStore> newChunks) {
        return new ClusterStore(epoch, name, config, newChunks);
    }

    public ClusterStore withChunk(int index, ChunkStore chunk) {
        List<ChunkStore> c = new ArrayList<>(chunks);
        c.set(index, chunk);
        return new ClusterStore(epoch, name, config, c);
    }

    /** True iff any chunk has a migration record. */
    @JsonIgnore
    public boolean isMigrating() {
        for (ChunkStore c : chunks) {
            if (c.isMigrating()) {
                return true;
            }
        }
        return false;
    }

    /** chunks x 4. */
    @JsonIgnore
    public int nodeNumber() {
        return chunks.size() * ChunkStore.NODES;
    }

    /** Every proxy address of the cluster, in chunk order. */
    @JsonIgnore
    public List<String> proxyAddresses() {
        List<String> out = new ArrayList<>(chunks.size() * ChunkStore.PARTS);
        for (ChunkStore c : chunks) {
            out.addAll(c.proxyAddresses());
        }
        return out;
    }

    /** The index of the chunk holding this proxy, or -1. */
    public int chunkIndexOf(String proxyAddress) {
        for (int i = 0; i < chunks.size(); i++) {
            if (chunks.get(i).partOf(proxyAddress) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
