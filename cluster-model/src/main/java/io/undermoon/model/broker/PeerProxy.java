package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.undermoon.model.SlotRange;
import java.util.List;
import java.util.Objects;

/** Another proxy of the cluster that hosts masters, with their slots: {@code {"proxy_address", "slots"}}. */
@JsonPropertyOrder({"proxy_address", "slots"})
public record PeerProxy(
        @JsonProperty(value = "proxy_address", required = true) String proxyAddress,
        @JsonProperty(value = "slots", required = true) List<SlotRange> slots) {

    @JsonCreator
    public PeerProxy {
        Objects.requireNonNull(proxyAddress, "proxy_address");
        slots = List.copyOf(Objects.requireNonNull(slots, "slots"));
    }
}
