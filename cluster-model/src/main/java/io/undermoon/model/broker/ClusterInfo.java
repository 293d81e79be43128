package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * {@code GET /api/v3/clusters/info/<name>}: node count (chunks x 4), nodes whose part owns stable
 * slots (parts with slots x 2), and whether any migration is visible.
 */
@JsonPropertyOrder({"name", "node_number", "node_number_with_slots", "is_migrating"})
public record ClusterInfo(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty(value = "node_number", required = true) long nodeNumber,
        @JsonProperty(value = "node_number_with_slots", required = true) long nodeNumberWithSlots,
        @JsonProperty(value = "is_migrating", required = true) boolean isMigrating) {

    @JsonCreator
    public ClusterInfo {
        Objects.requireNonNull(name, "name");
    }
}
