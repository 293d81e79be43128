package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * Ours, in {@code GET /api/v3/clusters/info/<name>}: a proxy of the cluster that the coordinators
 * report failed (a quorum within the TTL) and that the broker will not fail over, with why: a
 * master on it would be replaced by a replica that has not completed a sync of it. Its slots stay
 * unavailable until it is back or an operator calls {@code POST /api/v3/proxies/failover_losing_data/<proxy>}.
 */
@JsonPropertyOrder({"proxy", "reason"})
public record RefusedFailover(
        @JsonProperty(value = "proxy", required = true) String proxy,
        @JsonProperty(value = "reason", required = true) String reason) {

    @JsonCreator
    public RefusedFailover {
        Objects.requireNonNull(proxy, "proxy");
        Objects.requireNonNull(reason, "reason");
    }
}
