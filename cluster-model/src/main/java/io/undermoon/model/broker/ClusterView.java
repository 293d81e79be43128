package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.undermoon.model.ClusterConfig;
import java.util.List;
import java.util.Objects;

/**
 * The "Cluster" of {@code GET /api/v3/clusters/meta/<name>}: {@code {"name", "epoch", "config",
 * "nodes": [NodeView...]}}. Nodes are listed chunk by chunk, N0..N3 within a chunk.
 */
@JsonPropertyOrder({"name", "epoch", "config", "nodes"})
public record ClusterView(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty(value = "epoch", required = true) long epoch,
        @JsonProperty("config") ClusterConfig config,
        @JsonProperty(value = "nodes", required = true) List<NodeView> nodes) {

    @JsonCreator
    public ClusterView {
        Objects.requireNonNull(name, "name");
        if (config == null) {
            config = ClusterConfig.DEFAULT;
        }
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
    }
}
