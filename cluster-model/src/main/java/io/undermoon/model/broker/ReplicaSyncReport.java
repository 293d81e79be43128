package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/** Ours: the body of {@code POST /api/v3/replicas/sync_state}: {@code {"replicas": [ReplicaSyncState...]}}. */
public record ReplicaSyncReport(@JsonProperty(value = "replicas", required = true) List<ReplicaSyncState> replicas) {

    @JsonCreator
    public ReplicaSyncReport {
        replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
    }
}
