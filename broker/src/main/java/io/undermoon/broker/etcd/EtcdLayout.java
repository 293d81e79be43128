package io.undermoon.broker.etcd;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undermoon.broker.BrokerJson;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.ProxyResource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * How a {@link MetaStore} lies in etcd under {@code <prefix>/}:
 *
 * <pre>
 *   head             {"format", "version", "global_epoch", "enable_ordered_proxy", "failed_proxies"}
 *   clusters/NN      {"<cluster name>": ClusterStore, ...}   NN = bucket 00..31 of the name
 *   proxies/NN       {"<proxy address>": ProxyResource, ...} NN = bucket 00..31 of the address
 *   failures         {"<proxy address>": {"<reporter>": unix seconds}}
 * </pre>
 *
 * A change rewrites the head and only the buckets whose content changed, so a failover at 1,000
 * proxies and 200 clusters writes a few kilobytes, not the whole store; and no transaction ever
 * needs more than 66 operations (etcd's default limit is 128). Empty buckets have no key. Values
 * are the same JSON as the meta file's parts. Decoding refuses a prefix that holds anything else:
 * a key outside this layout, a head without our format, a record filed under the wrong bucket.
 */
public final class EtcdLayout {
    /** The head's {@code format}: names this layout; a head with another one is not ours. */
    public static final String FORMAT = "undermoon-etcd-store-1";
    static final int BUCKETS = 32;

    /** The head key's value. */
    @JsonPropertyOrder({"format", "version", "global_epoch", "enable_ordered_proxy", "failed_proxies"})
    record Head(@JsonProperty(value = "format", required = true) String format,
                @JsonProperty(value = "version", required = true) String version,
                @JsonProperty(value = "global_epoch", required = true) long globalEpoch,
                @JsonProperty(value = "enable_ordered_proxy", required = true) boolean enableOrderedProxy,
                @JsonProperty(value = "failed_proxies", required = true) List<String> failedProxies) {
        @JsonCreator
        Head {
        }
    }

    private static final TypeReference<TreeMap<String, ClusterStore>> CLUSTERS = new TypeReference<>() {};
    private static final TypeReference<TreeMap<String, ProxyResource>> PROXIES = new TypeReference<>() {};
    private static final TypeReference<TreeMap<String, TreeMap<String, Long>>> FAILURES = new TypeReference<>() {};

    private final String root;
    private final String headKey;
    private final String failuresKey;

    /** @param prefix without a trailing slash, e.g. {@code /undermoon} */
    public EtcdLayout(String prefix) {
        this.root = prefix + "/";
        this.headKey = root + "head";
        this.failuresKey = root + "failures";
    }

    /** Every key of this layout starts with this. */
    public String root() {
        return root;
    }

    public String headKey() {
        return headKey;
    }

    String clusterKey(int bucket) {
        return root + "clusters/" + twoDigits(bucket);
    }

    String proxyKey(int bucket) {
        return root + "proxies/" + twoDigits(bucket);
    }

    private static String twoDigits(int b) {
        return b < 10 ? "0" + b : Integer.toString(b);
    }

    static int bucketOf(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % BUCKETS);
    }

    /**
     * The key-value pairs of {@code store}. Where {@code previous} (the pairs of {@code previousStore})
     * is given, a bucket whose records are all unchanged reuses its bytes instead of being encoded again.
     */
    public SortedMap<String, byte[]> encode(MetaStore store, MetaStore previousStore, Map<String, byte[]> previous) {
        TreeMap<String, byte[]> out = new TreeMap<>();
        out.put(headKey, BrokerJson.write(new Head(FORMAT, store.version(), store.globalEpoch(), store.enableOrderedProxy(),
                List.copyOf(store.failedProxies()))));
        encodeBuckets(store.clusters(), previousStore == null ? null : previousStore.clusters(), previous, this::clusterKey, out);
        encodeBuckets(store.allProxies(), previousStore == null ? null : previousStore.allProxies(), previous, this::proxyKey, out);
        if (!store.failures().isEmpty()) {
            byte[] before = previous == null ? null : previous.get(failuresKey);
            boolean same = before != null && previousStore != null && previousStore.failures().equals(store.failures());
            out.put(failuresKey, same ? before : BrokerJson.write(store.failures()));
        }
        return out;
    }

    private interface KeyOf {
        String key(int bucket);
    }

    private static <V> void encodeBuckets(SortedMap<String, V> records, SortedMap<String, V> previousRecords,
                                          Map<String, byte[]> previous, KeyOf keyOf, Map<String, byte[]> out) {
        @SuppressWarnings("unchecked")
        TreeMap<String, V>[] buckets = new TreeMap[BUCKETS];
        for (Map.Entry<String, V> e : records.entrySet()) {
            int b = bucketOf(e.getKey());
            if (buckets[b] == null) {
                buckets[b] = new TreeMap<>();
            }
            buckets[b].put(e.getKey(), e.getValue());
        }
        boolean[] dirty = new boolean[BUCKETS];
        if (previousRecords == null || previous == null) {
            Arrays.fill(dirty, true);
        } else {
            for (Map.Entry<String, V> e : records.entrySet()) {
                V before = previousRecords.get(e.getKey());
                if (before == null || (before != e.getValue() && !before.equals(e.getValue()))) {
                    dirty[bucketOf(e.getKey())] = true;
                }
            }
            for (String name : previousRecords.keySet()) {
                if (!records.containsKey(name)) {
                    dirty[bucketOf(name)] = true;
                }
            }
        }
        for (int b = 0; b < BUCKETS; b++) {
            if (buckets[b] == null) {
                continue;
            }
            String key = keyOf.key(b);
            byte[] before = dirty[b] ? null : previous.get(key);
            out.put(key, before != null ? before : BrokerJson.write(buckets[b]));
        }
    }

    /**
     * The store the pairs describe (all the keys under {@link #root()}).
     *
     * @throws NotOursException when the prefix holds something this layout did not write
     */
    public MetaStore decode(Map<String, byte[]> pairs) throws NotOursException {
        return decode(pairs, null, null);
    }

    /**
     * As {@link #decode(Map)}, but a bucket whose bytes equal those in {@code previousPairs} takes its
     * records from {@code previousStore} instead of parsing its JSON again: a watch event or a
     * periodic reload at 1,000 proxies parses the buckets that changed, not 330 KB of JSON.
     */
    public MetaStore decode(Map<String, byte[]> pairs, Map<String, byte[]> previousPairs, MetaStore previousStore)
            throws NotOursException {
        boolean reuse = previousPairs != null && previousStore != null;
        boolean[] sameClusters = new boolean[BUCKETS];
        boolean[] sameProxies = new boolean[BUCKETS];
        byte[] headBytes = pairs.get(headKey);
        if (headBytes == null) {
            throw new NotOursException("the prefix holds " + pairs.size() + " keys (e.g. " + firstKey(pairs)
                    + ") but no " + headKey + ": not an undermoon store");
        }
        ObjectMapper json = BrokerJson.strictMapper();
        Head head;
        try {
            head = json.readValue(headBytes, Head.class);
        } catch (IOException e) {
            throw new NotOursException(headKey + " is not an undermoon store head: " + e.getMessage());
        }
        if (!FORMAT.equals(head.format())) {
            throw new NotOursException(headKey + " has format '" + head.format() + "', expected " + FORMAT);
        }
        if (!MetaStore.VERSION.equals(head.version())) {
            throw new NotOursException(headKey + " holds store version '" + head.version() + "', this broker reads "
                    + MetaStore.VERSION);
        }
        TreeMap<String, ClusterStore> clusters = new TreeMap<>();
        TreeMap<String, ProxyResource> proxies = new TreeMap<>();
        TreeMap<String, SortedMap<String, Long>> failures = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : pairs.entrySet()) {
            String key = e.getKey();
            try {
                if (key.equals(headKey)) {
                    continue;
                } else if (key.equals(failuresKey)) {
                    failures.putAll(json.readValue(e.getValue(), FAILURES));
                } else if (key.startsWith(root + "clusters/")) {
                    int b = reusable(key, root + "clusters/", e.getValue(), reuse ? previousPairs : null);
                    if (b >= 0) {
                        sameClusters[b] = true;
                        continue;
                    }
                    TreeMap<String, ClusterStore> part = json.readValue(e.getValue(), CLUSTERS);
                    checkBucket(key, part.keySet(), this::clusterKey);
                    clusters.putAll(part);
                } else if (key.startsWith(root + "proxies/")) {
                    int b = reusable(key, root + "proxies/", e.getValue(), reuse ? previousPairs : null);
                    if (b >= 0) {
                        sameProxies[b] = true;
                        continue;
                    }
                    TreeMap<String, ProxyResource> part = json.readValue(e.getValue(), PROXIES);
                    checkBucket(key, part.keySet(), this::proxyKey);
                    proxies.putAll(part);
                } else {
                    throw new NotOursException("the key " + key + " is not part of an undermoon store");
                }
            } catch (IOException ex) {
                throw new NotOursException("the value of " + key + " is not what an undermoon store holds: " + ex.getMessage());
            } catch (IllegalArgumentException | NullPointerException ex) {
                throw new NotOursException("the value of " + key + " is invalid: " + ex.getMessage());
            }
        }
        if (reuse) {
            previousStore.clusters().forEach((name, c) -> {
                if (sameClusters[bucketOf(name)]) {
                    clusters.put(name, c);
                }
            });
            previousStore.allProxies().forEach((address, p) -> {
                if (sameProxies[bucketOf(address)]) {
                    proxies.put(address, p);
                }
            });
        }
        try {
            return new MetaStore(head.version(), head.globalEpoch(), clusters, proxies,
                    new TreeSet<>(Objects.requireNonNull(head.failedProxies())), failures, head.enableOrderedProxy());
        } catch (IllegalArgumentException | NullPointerException ex) {
            throw new NotOursException("the store under " + root + " is invalid: " + ex.getMessage());
        }
    }

    /** The bucket number of {@code key} when its bytes are those of the previous pairs, else -1. */
    private int reusable(String key, String dir, byte[] value, Map<String, byte[]> previousPairs) {
        if (previousPairs == null) {
            return -1;
        }
        byte[] before = previousPairs.get(key);
        if (before == null || (before != value && !Arrays.equals(before, value))) {
            return -1;
        }
        String suffix = key.substring(dir.length());
        if (suffix.length() != 2 || !Character.isDigit(suffix.charAt(0)) || !Character.isDigit(suffix.charAt(1))) {
            return -1;
        }
        int b = Integer.parseInt(suffix);
        return b < BUCKETS && key.equals(dir + twoDigits(b)) ? b : -1;
    }

    private static void checkBucket(String key, Iterable<String> names, KeyOf keyOf) throws NotOursException {
        for (String name : names) {
            if (!keyOf.key(bucketOf(name)).equals(key)) {
                throw new NotOursException("'" + name + "' is filed under " + key + ", not under its bucket");
            }
        }
    }

    private static String firstKey(Map<String, byte[]> pairs) {
        return pairs.isEmpty() ? "-" : Collections.min(pairs.keySet());
    }

    /** The prefix holds data this layout did not write; the broker refuses to use or overwrite it. */
    public static final class NotOursException extends Exception {
        public NotOursException(String message) {
            super(message);
        }
    }
}
