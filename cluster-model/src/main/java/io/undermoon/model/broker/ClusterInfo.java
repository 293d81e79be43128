package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * {@code GET /api/v3/clusters/info/<name>}: node count (chunks x 4), nodes whose part owns stable
 * slots (parts with slots x 2), and whether any migration is visible. Ours, optional when read:
 * {@code replicas_not_synced}, the masters holding data whose replica has not completed a sync
 * (the single-copy window), and {@code failovers_refused}, the reported proxies the broker will not
 * fail over for that reason. Both are left out when empty, so the JSON is the reference's then.
 */
@JsonPropertyOrder({"name", "node_number", "node_number_with_slots", "is_migrating", "replicas_not_synced",
        "failovers_refused"})
public record ClusterInfo(
        @JsonProperty(value = "name", required = true) String name,
        @JsonProperty(value = "node_number", required = true) long nodeNumber,
        @JsonProperty(value = "node_number_with_slots", required = true) long nodeNumberWithSlots,
        @JsonProperty(value = "is_migrating", required = true) boolean isMigrating,
        @JsonProperty("replicas_not_synced") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<UnsyncedReplica> replicasNotSynced,
        @JsonProperty("failovers_refused") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RefusedFailover> failoversRefused) {

    @JsonCreator
    public ClusterInfo {
        Objects.requireNonNull(name, "name");
        replicasNotSynced = replicasNotSynced == null ? List.of() : List.copyOf(replicasNotSynced);
        failoversRefused = failoversRefused == null ? List.of() : List.copyOf(failoversRefused);
    }

    /** The reference's four fields; nothing unsynced, nothing refused. */
    public ClusterInfo(String name, long nodeNumber, long nodeNumberWithSlots, boolean isMigrating) {
        this(name, nodeNumber, nodeNumberWithSlots, isMigrating, List.of(), List.of());
    }

    public ClusterInfo withFailoversRefused(List<RefusedFailover> refused) {
        return new ClusterInfo(name, nodeNumber, nodeNumberWithSlots, isMigrating, replicasNotSynced, refused);
    }
}
