package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * A registered server proxy: its address, its 2 Redis nodes, its host (failure domain), its
 * StatefulSet index (ordered-proxy mode; 0 otherwise) and the cluster that owns it (null when free).
 */
@JsonPropertyOrder({"proxy_address", "node_addresses", "host", "index", "cluster"})
public record ProxyResource(
        @JsonProperty(value = "proxy_address", required = true) String proxyAddress,
        @JsonProperty(value = "node_addresses", required = true) List<String> nodeAddresses,
        @JsonProperty(value = "host", required = true) String host,
        @JsonProperty(value = "index", required = true) long index,
        @JsonProperty("cluster") @JsonInclude(JsonInclude.Include.ALWAYS) String cluster) {

    @JsonCreator
    public ProxyResource {
        Objects.requireNonNull(proxyAddress, "proxy_address");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nodeAddresses, "node_addresses");
        if (nodeAddresses.size() != ChunkStore.NODES_PER_PROXY) {
            throw new IllegalArgumentException("node_addresses must have 2 entries");
        }
        nodeAddresses = List.copyOf(nodeAddresses);
        if (index < 0) {
            throw new IllegalArgumentException("negative index");
        }
    }

    public ProxyResource withCluster(String newCluster) {
        return new ProxyResource(proxyAddress, nodeAddresses, host, index, newCluster);
    }

    /** True when no cluster owns this proxy. */
    @JsonIgnore
    public boolean isUnused() {
        return cluster == null;
    }
}
