package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * Ours: one entry of {@code POST /api/v3/replicas/sync_state}: whether the Redis node
 * {@code replica} has completed a sync of its master {@code master} (as its proxy reports in
 * {@code UMCTL REPLSTATUS}). The broker applies it only while {@code replica} is the replica of
 * {@code master} in its store; anything else is a stale report and is ignored.
 */
@JsonPropertyOrder({"replica", "master", "synced"})
public record ReplicaSyncState(
        @JsonProperty(value = "replica", required = true) String replica,
        @JsonProperty(value = "master", required = true) String master,
        @JsonProperty(value = "synced", required = true) boolean synced) {

    @JsonCreator
    public ReplicaSyncState {
        Objects.requireNonNull(replica, "replica");
        Objects.requireNonNull(master, "master");
    }
}
