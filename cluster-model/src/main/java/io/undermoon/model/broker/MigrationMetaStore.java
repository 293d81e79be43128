package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A stored migration task's identity: the epoch it was planned (or last reset) at, and its source
 * and destination addressed by chunk index and part (0 or 1), never by address. Addresses are
 * resolved when a view is built, so they follow failovers.
 */
@JsonPropertyOrder({"epoch", "src_chunk_index", "src_chunk_part", "dst_chunk_index", "dst_chunk_part"})
public record MigrationMetaStore(
        @JsonProperty(value = "epoch", required = true) long epoch,
        @JsonProperty(value = "src_chunk_index", required = true) int srcChunkIndex,
        @JsonProperty(value = "src_chunk_part", required = true) int srcChunkPart,
        @JsonProperty(value = "dst_chunk_index", required = true) int dstChunkIndex,
        @JsonProperty(value = "dst_chunk_part", required = true) int dstChunkPart) {

    @JsonCreator
    public MigrationMetaStore {
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch");
        }
        if (srcChunkIndex < 0 || dstChunkIndex < 0) {
            throw new IllegalArgumentException("negative chunk index");
        }
        if (!ChunkStore.isPart(srcChunkPart) || !ChunkStore.isPart(dstChunkPart)) {
            throw new IllegalArgumentException("chunk part must be 0 or 1");
        }
    }

    public MigrationMetaStore withEpoch(long newEpoch) {
        return new MigrationMetaStore(newEpoch, srcChunkIndex, srcChunkPart, dstChunkIndex, dstChunkPart);
    }

    /** True if (chunk, part) is this task's source or destination. */
    public boolean touches(int chunk, int part) {
        return (srcChunkIndex == chunk && srcChunkPart == part) || (dstChunkIndex == chunk && dstChunkPart == part);
    }
}
