package io.undermoon.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/** Who moves a slot range where, and at which epoch the migration started. */
@JsonPropertyOrder({"epoch", "src_proxy_address", "src_node_address", "dst_proxy_address", "dst_node_address"})
public record MigrationMeta(
        @JsonProperty(value = "epoch", required = true) long epoch,
        @JsonProperty(value = "src_proxy_address", required = true) String srcProxyAddress,
        @JsonProperty(value = "src_node_address", required = true) String srcNodeAddress,
        @JsonProperty(value = "dst_proxy_address", required = true) String dstProxyAddress,
        @JsonProperty(value = "dst_node_address", required = true) String dstNodeAddress) {

    @JsonCreator
    public MigrationMeta {
        Objects.requireNonNull(srcProxyAddress, "src_proxy_address");
        Objects.requireNonNull(srcNodeAddress, "src_node_address");
        Objects.requireNonNull(dstProxyAddress, "dst_proxy_address");
        Objects.requireNonNull(dstNodeAddress, "dst_node_address");
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch");
        }
    }

    /** Text tokens {@code epoch src_proxy src_node dst_proxy dst_node}. */
    public List<String> toTokens() {
        return List.of(Long.toUnsignedString(epoch), srcProxyAddress, srcNodeAddress, dstProxyAddress, dstNodeAddress);
    }
}
