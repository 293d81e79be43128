package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.undermoon.model.RangeList;
import java.util.Objects;

/**
 * One side of a stored migration task. Every task is stored twice with the same ranges and meta:
 * in the source part's list with {@code is_migrating = true} and in the destination part's list
 * with {@code is_migrating = false}.
 */
@JsonPropertyOrder({"range_list", "is_migrating", "meta"})
public record MigrationSlotRangeStore(
        @JsonProperty(value = "range_list", required = true) RangeList rangeList,
        @JsonProperty(value = "is_migrating", required = true) boolean isMigrating,
        @JsonProperty(value = "meta", required = true) MigrationMetaStore meta) {

    @JsonCreator
    public MigrationSlotRangeStore {
        Objects.requireNonNull(rangeList, "range_list");
        Objects.requireNonNull(meta, "meta");
    }

    public MigrationSlotRangeStore withMeta(MigrationMetaStore newMeta) {
        return new MigrationSlotRangeStore(rangeList, isMigrating, newMeta);
    }

    /** The same task seen from the other side. */
    public MigrationSlotRangeStore asImporting() {
        return new MigrationSlotRangeStore(rangeList, false, meta);
    }
}
