package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.undermoon.model.ClusterConfig;
import java.util.List;
import java.util.Objects;

/**
 * The "Proxy" of {@code GET /api/v3/proxies/meta/<address>} and of the failover response.
 *
 * <p>In a cluster: {@code cluster_name} is set, {@code epoch} is the cluster epoch, {@code nodes} are
 * this proxy's 2 nodes of the cluster view, {@code peers} the other proxies hosting masters, and
 * {@code cluster_config} the cluster's config. A free proxy has a null {@code cluster_name} and
 * {@code cluster_config}, the global epoch, its 2 nodes as slot-less masters and no peers. Unknown
 * fields (such as {@code free_nodes} in the reference's docs) are ignored when reading.
 */
@JsonPropertyOrder({"cluster_name", "address", "epoch", "nodes", "peers", "cluster_config"})
public record ProxyView(
        @JsonProperty("cluster_name") @JsonInclude(JsonInclude.Include.ALWAYS) String clusterName,
        @JsonProperty(value = "address", required = true) String address,
        @JsonProperty(value = "epoch", required = true) long epoch,
        @JsonProperty(value = "nodes", required = true) List<NodeView> nodes,
        @JsonProperty(value = "peers", required = true) List<PeerProxy> peers,
        @JsonProperty("cluster_config") @JsonInclude(JsonInclude.Include.ALWAYS) ClusterConfig clusterConfig) {

    @JsonCreator
    public ProxyView {
        Objects.requireNonNull(address, "address");
        nodes = List.copyOf(Objects.requireNonNull(nodes, "nodes"));
        peers = List.copyOf(Objects.requireNonNull(peers, "peers"));
    }

    /** True for a proxy that no cluster owns. */
    @JsonIgnore
    public boolean isFree() {
        return clusterName == null;
    }
}
