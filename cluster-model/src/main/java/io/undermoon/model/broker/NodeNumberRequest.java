package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code {"node_number": N}}: the size of a new cluster ({@code POST /clusters/meta/<name>}) or the
 * number of nodes to add ({@code PATCH /clusters/nodes/<name>}).
 */
public record NodeNumberRequest(@JsonProperty(value = "node_number", required = true) long nodeNumber) {

    @JsonCreator
    public NodeNumberRequest {
        if (nodeNumber < 0) {
            throw new IllegalArgumentException("node_number must not be negative");
        }
    }
}
