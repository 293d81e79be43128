package io.undermoon.broker.store;

import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.ProxyResource;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A private, mutable working copy of a {@link MetaStore}: every mutation is applied to a draft, and
 * only a successful one is turned back into a store ({@link #build()}) and published. The copy is
 * shallow (the records are immutable), so making a draft of a store with thousands of proxies costs
 * a few map copies. Not thread-safe; one draft belongs to one mutation.
 */
public final class StoreDraft {
    private final MetaStore base;
    private long globalEpoch;
    private final TreeMap<String, ClusterStore> clusters;
    private final TreeMap<String, ProxyResource> proxies;
    private final TreeSet<String> failedProxies;
    private final TreeMap<String, SortedMap<String, Long>> failures;
    private boolean enableOrderedProxy;
    private boolean changed;

    private StoreDraft(MetaStore base) {
        this.base = base;
        this.globalEpoch = base.globalEpoch();
        this.clusters = new TreeMap<>(base.clusters());
        this.proxies = new TreeMap<>(base.allProxies());
        this.failedProxies = new TreeSet<>(base.failedProxies());
        this.failures = new TreeMap<>(base.failures());
        this.enableOrderedProxy = base.enableOrderedProxy();
    }

    public static StoreDraft of(MetaStore store) {
        return new StoreDraft(Objects.requireNonNull(store));
    }

    /** The store this draft started from. */
    public MetaStore base() {
        return base;
    }

    /** True once anything was changed (even to an equal value). */
    public boolean isChanged() {
        return changed;
    }

    /** The resulting store; the base itself when nothing changed. */
    public MetaStore build() {
        if (!changed) {
            return base;
        }
        return new MetaStore(MetaStore.VERSION, globalEpoch, clusters, proxies, failedProxies, failures, enableOrderedProxy);
    }

    // ---- epochs

    public long globalEpoch() {
        return globalEpoch;
    }

    /** Increments the global epoch and returns the new value. */
    public long bumpGlobalEpoch() {
        changed = true;
        globalEpoch = Math.addExact(globalEpoch, 1);
        return globalEpoch;
    }

    public void setGlobalEpoch(long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch");
        }
        changed = true;
        globalEpoch = epoch;
    }

    public boolean enableOrderedProxy() {
        return enableOrderedProxy;
    }

    // ---- clusters

    /** Read-only view of the clusters, sorted by name. */
    public NavigableMap<String, ClusterStore> clusters() {
        return Collections.unmodifiableNavigableMap(clusters);
    }

    public ClusterStore cluster(String name) {
        return clusters.get(name);
    }

    public void putCluster(ClusterStore cluster) {
        changed = true;
        clusters.put(cluster.name(), cluster);
    }

    public void removeCluster(String name) {
        changed = true;
        clusters.remove(name);
    }

    // ---- proxies

    /** Read-only view of the proxies, sorted by address. */
    public NavigableMap<String, ProxyResource> proxies() {
        return Collections.unmodifiableNavigableMap(proxies);
    }

    public ProxyResource proxy(String address) {
        return proxies.get(address);
    }

    public void putProxy(ProxyResource proxy) {
        changed = true;
        proxies.put(proxy.proxyAddress(), proxy);
    }

    public void removeProxy(String address) {
        changed = true;
        proxies.remove(address);
    }

    /** Sets the owning cluster of a registered proxy; unknown addresses are ignored. */
    public void setProxyCluster(String address, String cluster) {
        ProxyResource p = proxies.get(address);
        if (p != null && !Objects.equals(p.cluster(), cluster)) {
            putProxy(p.withCluster(cluster));
        }
    }

    // ---- failed proxies and failure reports

    public NavigableSet<String> failedProxies() {
        return Collections.unmodifiableNavigableSet(failedProxies);
    }

    public boolean isFailed(String address) {
        return failedProxies.contains(address);
    }

    /** Returns true if the address was not in the set. */
    public boolean addFailed(String address) {
        boolean added = failedProxies.add(address);
        changed |= added;
        return added;
    }

    /** Returns true if the address was in the set. */
    public boolean removeFailed(String address) {
        boolean removed = failedProxies.remove(address);
        changed |= removed;
        return removed;
    }

    public NavigableMap<String, SortedMap<String, Long>> failures() {
        return Collections.unmodifiableNavigableMap(failures);
    }

    public boolean hasFailures(String address) {
        return failures.containsKey(address);
    }

    /** Returns true if this reporter had not reported this address yet (the report is then stored). */
    public boolean addFailure(String address, String reporter, long unixSeconds) {
        SortedMap<String, Long> reports = failures.get(address);
        if (reports != null && reports.containsKey(reporter)) {
            return false;
        }
        TreeMap<String, Long> updated = reports == null ? new TreeMap<>() : new TreeMap<>(reports);
        updated.put(reporter, unixSeconds);
        failures.put(address, updated);
        changed = true;
        return true;
    }

    /** Replaces the reports of one address; an empty map removes the entry. */
    public void setFailures(String address, SortedMap<String, Long> reports) {
        changed = true;
        if (reports.isEmpty()) {
            failures.remove(address);
        } else {
            failures.put(address, new TreeMap<>(reports));
        }
    }

    /** Returns true if the address had reports. */
    public boolean removeFailures(String address) {
        boolean removed = failures.remove(address) != null;
        changed |= removed;
        return removed;
    }

    /**
     * A proxy is free (may be allocated) iff no cluster owns it, it is not failed and it has no
     * failure report at all, even one below the quorum or past its TTL but not yet purged.
     */
    public boolean isFree(ProxyResource p) {
        return p.cluster() == null && !failedProxies.contains(p.proxyAddress()) && !failures.containsKey(p.proxyAddress());
    }
}
