package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/** The broker's runtime config of {@code GET/PUT /api/v3/config}: {@code {"replica_addresses": [...]}}. */
public record ReplicaAddresses(
        @JsonProperty(value = "replica_addresses", required = true) List<String> replicaAddresses) {

    @JsonCreator
    public ReplicaAddresses {
        Objects.requireNonNull(replicaAddresses, "replica_addresses");
        for (String a : replicaAddresses) {
            Objects.requireNonNull(a, "replica_addresses entry");
        }
        replicaAddresses = List.copyOf(replicaAddresses);
    }
}
