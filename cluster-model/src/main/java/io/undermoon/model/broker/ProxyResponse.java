package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code {"proxy": ProxyView}} or {@code {"proxy": null}}. */
public record ProxyResponse(
        @JsonProperty("proxy") @JsonInclude(JsonInclude.Include.ALWAYS) ProxyView proxy) {

    @JsonCreator
    public ProxyResponse {
    }
}
