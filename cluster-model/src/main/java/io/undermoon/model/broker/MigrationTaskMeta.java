package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.undermoon.model.SlotRange;
import java.util.Objects;

/**
 * A finished migration task as a proxy reports it and the coordinator commits it with
 * {@code PUT /api/v3/clusters/migrations}: {@code {"cluster_name", "slot_range": SlotRange}}.
 * The broker identifies the task by the range list and the tag's epoch only.
 */
@JsonPropertyOrder({"cluster_name", "slot_range"})
public record MigrationTaskMeta(
        @JsonProperty(value = "cluster_name", required = true) String clusterName,
        @JsonProperty(value = "slot_range", required = true) SlotRange slotRange) {

    @JsonCreator
    public MigrationTaskMeta {
        Objects.requireNonNull(clusterName, "cluster_name");
        Objects.requireNonNull(slotRange, "slot_range");
    }
}
