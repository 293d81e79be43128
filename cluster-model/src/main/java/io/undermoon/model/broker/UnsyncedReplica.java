package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * Ours, in {@code GET /api/v3/clusters/info/<name>}: a master that holds data (slots or a
 * migration) whose replica has not completed a sync of it, so the data has a single copy. The broker
 * does not fail this master over automatically while this lasts.
 */
@JsonPropertyOrder({"master", "master_proxy", "replica", "replica_proxy"})
public record UnsyncedReplica(
        @JsonProperty(value = "master", required = true) String master,
        @JsonProperty(value = "master_proxy", required = true) String masterProxy,
        @JsonProperty(value = "replica", required = true) String replica,
        @JsonProperty(value = "replica_proxy", required = true) String replicaProxy) {

    @JsonCreator
    public UnsyncedReplica {
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(masterProxy, "master_proxy");
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(replicaProxy, "replica_proxy");
    }
}
