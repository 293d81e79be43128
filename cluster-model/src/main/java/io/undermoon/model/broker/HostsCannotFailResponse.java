package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/** {@code {"hosts_cannot_fail": [...]}}: hosts whose loss could not be absorbed by free proxies. */
public record HostsCannotFailResponse(
        @JsonProperty(value = "hosts_cannot_fail", required = true) List<String> hostsCannotFail) {

    @JsonCreator
    public HostsCannotFailResponse {
        hostsCannotFail = List.copyOf(Objects.requireNonNull(hostsCannotFail, "hosts_cannot_fail"));
    }
}
