package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code {"cluster": ClusterView}} or {@code {"cluster": null}} when there is no such cluster. */
public record ClusterResponse(
        @JsonProperty("cluster") @JsonInclude(JsonInclude.Include.ALWAYS) ClusterView cluster) {

    @JsonCreator
    public ClusterResponse {
    }
}
