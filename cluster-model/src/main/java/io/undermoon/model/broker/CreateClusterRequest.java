package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code {"node_number": N}} for {@code POST /clusters/meta/<name>}, with our optional extension
 * {@code "config": {<flat field>: <string>, ...}}: the same fields as {@code PATCH
 * /clusters/config/<name>}, applied before the cluster exists, so that (for example) its password
 * protects it from its first moment.
 */
public record CreateClusterRequest(
        @JsonProperty(value = "node_number", required = true) long nodeNumber,
        @JsonProperty("config") Map<String, String> config) {

    @JsonCreator
    public CreateClusterRequest {
        if (nodeNumber < 0) {
            throw new IllegalArgumentException("node_number must not be negative");
        }
        config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
        for (Map.Entry<String, String> e : config.entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException("config value of " + e.getKey() + " must be a string");
            }
        }
    }
}
