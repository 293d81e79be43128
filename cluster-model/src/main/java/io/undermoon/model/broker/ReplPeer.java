package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** The other end of a node's replication: {@code {"node_address", "proxy_address"}}. */
@JsonPropertyOrder({"node_address", "proxy_address"})
public record ReplPeer(
        @JsonProperty(value = "node_address", required = true) String nodeAddress,
        @JsonProperty(value = "proxy_address", required = true) String proxyAddress) {

    @JsonCreator
    public ReplPeer {
        Objects.requireNonNull(nodeAddress, "node_address");
        Objects.requireNonNull(proxyAddress, "proxy_address");
    }
}
