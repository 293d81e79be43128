package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/** {@code {"addresses": [...]}}: proxy addresses (a page of all proxies, failed ones, or failures). */
public record AddressesResponse(@JsonProperty(value = "addresses", required = true) List<String> addresses) {

    @JsonCreator
    public AddressesResponse {
        addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses"));
    }
}
