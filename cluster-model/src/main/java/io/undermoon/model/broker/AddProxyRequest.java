package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * {@code POST /api/v3/proxies/meta}: {@code {"proxy_address": "h:p", "nodes": ["n1", "n2"],
 * "host": "h" | null, "index": int | null}}. {@code host} defaults to the text before ':' of the
 * address; {@code index} is required in ordered-proxy mode and ignored otherwise.
 */
@JsonPropertyOrder({"proxy_address", "nodes", "host", "index"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddProxyRequest(
        @JsonProperty(value = "proxy_address", required = true) String proxyAddress,
        @JsonProperty(value = "nodes", required = true) List<String> nodes,
        @JsonProperty("host") String host,
        @JsonProperty("index") Long index) {

    @JsonCreator
    public AddProxyRequest {
        Objects.requireNonNull(proxyAddress, "proxy_address");
        Objects.requireNonNull(nodes, "nodes");
        if (nodes.size() != ChunkStore.NODES_PER_PROXY) {
            throw new IllegalArgumentException("nodes must have exactly 2 addresses");
        }
        for (String n : nodes) {
            Objects.requireNonNull(n, "nodes entry");
        }
        nodes = List.copyOf(nodes);
        if (index != null && index < 0) {
            throw new IllegalArgumentException("index must not be negative");
        }
    }
}
