package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.undermoon.model.SlotRange;
import java.util.List;
import java.util.Objects;

/**
 * A Redis node as the broker shows it: {@code {"address", "proxy_address", "slots": [SlotRange...],
 * "repl": ReplMeta}}. Replicas have no slots. Unknown fields (such as the {@code cluster_name} of
 * older brokers) are ignored when reading.
 */
@JsonPropertyOrder({"address", "proxy_address", "slots", "repl"})
public record NodeView(
        @JsonProperty(value = "address", required = true) String address,
        @JsonProperty(value = "proxy_address", required = true) String proxyAddress,
        @JsonProperty(value = "slots", required = true) List<SlotRange> slots,
        @JsonProperty(value = "repl", required = true) ReplMeta repl) {

    @JsonCreator
    public NodeView {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(proxyAddress, "proxy_address");
        slots = List.copyOf(Objects.requireNonNull(slots, "slots"));
        Objects.requireNonNull(repl, "repl");
    }

    @JsonIgnore
    public boolean isMaster() {
        return repl.role() == Role.MASTER;
    }
}
