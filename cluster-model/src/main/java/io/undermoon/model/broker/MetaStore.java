package io.undermoon.model.broker;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The whole broker store, format {@value #VERSION}: the meta file, the body of
 * {@code GET/PUT /api/v3/metadata}, replica sync and the external storage's {@code store} field.
 *
 * <pre>{@code
 * {"version": "mem-broker-0.2", "global_epoch": 12,
 *  "clusters": {"<name>": ClusterStore}, "all_proxies": {"<address>": ProxyResource},
 *  "failed_proxies": ["<address>"], "failures": {"<address>": {"<reporter_id>": <unix seconds>}},
 *  "enable_ordered_proxy": false}
 * }</pre>
 *
 * Every field is required when reading. The collections are sorted and unmodifiable, so the JSON is
 * deterministic and a published store can be shared between threads without locks.
 */
@JsonPropertyOrder({"version", "global_epoch", "clusters", "all_proxies", "failed_proxies", "failures", "enable_ordered_proxy"})
public record MetaStore(
        @JsonProperty(value = "version", required = true) String version,
        @JsonProperty(value = "global_epoch", required = true) long globalEpoch,
        @JsonProperty(value = "clusters", required = true) SortedMap<String, ClusterStore> clusters,
        @JsonProperty(value = "all_proxies", required = true) SortedMap<String, ProxyResource> allProxies,
        @JsonProperty(value = "failed_proxies", required = true) SortedSet<String> failedProxies,
        @JsonProperty(value = "failures", required = true) SortedMap<String, SortedMap<String, Long>> failures,
        @JsonProperty(value = "enable_ordered_proxy", required = true) boolean enableOrderedProxy) {

    /** The only store format this broker reads and writes. */
    public static final String VERSION = "mem-broker-0.2";

    @JsonCreator
    public MetaStore {
        Objects.requireNonNull(version, "version");
        if (globalEpoch < 0) {
            throw new IllegalArgumentException("negative global_epoch");
        }
        clusters = Collections.unmodifiableSortedMap(new TreeMap<>(noNullValues(clusters, "clusters")));
        allProxies = Collections.unmodifiableSortedMap(new TreeMap<>(noNullValues(allProxies, "all_proxies")));
        failedProxies = Collections.unmodifiableSortedSet(new TreeSet<>(Objects.requireNonNull(failedProxies, "failed_proxies")));
        TreeMap<String, SortedMap<String, Long>> f = new TreeMap<>();
        for (Map.Entry<String, SortedMap<String, Long>> e : noNullValues(failures, "failures").entrySet()) {
            f.put(e.getKey(), Collections.unmodifiableSortedMap(new TreeMap<>(noNullValues(e.getValue(), "failures"))));
        }
        failures = Collections.unmodifiableSortedMap(f);
    }

    /** An empty store at global epoch 0. */
    public static MetaStore empty(boolean enableOrderedProxy) {
        return new MetaStore(VERSION, 0, new TreeMap<>(), new TreeMap<>(), new TreeSet<>(), new TreeMap<>(), enableOrderedProxy);
    }

    private static <K, V> Map<K, V> noNullValues(Map<K, V> map, String name) {
        Objects.requireNonNull(map, name);
        for (V v : map.values()) {
            Objects.requireNonNull(v, name + " value");
        }
        return map;
    }
}
