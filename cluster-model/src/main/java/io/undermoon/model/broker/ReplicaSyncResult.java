package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * Ours: the answer to {@code POST /api/v3/replicas/sync_state}: the replicas whose stored state
 * changed, and those whose entry did not match the store (not the replica of that master now: a
 * stale report, ignored).
 */
@JsonPropertyOrder({"changed", "ignored"})
public record ReplicaSyncResult(
        @JsonProperty(value = "changed", required = true) List<String> changed,
        @JsonProperty(value = "ignored", required = true) List<String> ignored) {

    @JsonCreator
    public ReplicaSyncResult {
        changed = List.copyOf(Objects.requireNonNull(changed, "changed"));
        ignored = List.copyOf(Objects.requireNonNull(ignored, "ignored"));
    }
}
