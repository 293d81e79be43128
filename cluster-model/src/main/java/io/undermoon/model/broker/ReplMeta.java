package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/** A node's replication: {@code {"role": "master"|"replica", "peers": [ReplPeer...]}}. */
@JsonPropertyOrder({"role", "peers"})
public record ReplMeta(
        @JsonProperty(value = "role", required = true) Role role,
        @JsonProperty(value = "peers", required = true) List<ReplPeer> peers) {

    @JsonCreator
    public ReplMeta {
        Objects.requireNonNull(role, "role");
        peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
    }
}
