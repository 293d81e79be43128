package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/** {@code {"failed_addresses": [...]}}: proxies that did not answer during epoch recovery. */
public record FailedAddressesResponse(
        @JsonProperty(value = "failed_addresses", required = true) List<String> failedAddresses) {

    @JsonCreator
    public FailedAddressesResponse {
        failedAddresses = List.copyOf(Objects.requireNonNull(failedAddresses, "failed_addresses"));
    }
}
