package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code {"cluster_node_number": N}}: the target total of {@code PUT /clusters/nodes/<name>}. */
public record ClusterNodeNumberRequest(
        @JsonProperty(value = "cluster_node_number", required = true) long clusterNodeNumber) {

    @JsonCreator
    public ClusterNodeNumberRequest {
        if (clusterNodeNumber < 0) {
            throw new IllegalArgumentException("cluster_node_number must not be negative");
        }
    }
}
