package io.undermoon.broker.store;

import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ProxyResource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chunk allocation across hosts (non-ordered mode, spec §4.3): the greedy form of undermoon's
 * chunk_allocation: always take a proxy from the host with the most free proxies and pair it with
 * a proxy of the host least linked to it (then the one with more free proxies). Masters end up
 * spread evenly over the hosts, and each chunk spans 2 hosts.
 *
 * <p>Where the reference iterates a hash map (tie-breaks, the order of a host's proxies) this uses
 * sorted order: ties go to the first host by name, and a host's proxies are used in address order.
 */
final class ChunkAllocator {
    private ChunkAllocator() {}

    /**
     * Pairs {@code proxyNum} free proxies (an even number) into chunks without slots.
     *
     * @throws BrokerException NO_AVAILABLE_RESOURCE when there are not enough free proxies once the
     *     premise "no host holds more than half of them" is enforced; RESOURCE_NOT_BALANCE when the
     *     premise still fails (practically unreachable)
     */
    static List<ChunkStore> allocate(StoreDraft store, long proxyNum) throws BrokerException {
        TreeMap<String, Deque<ProxyResource>> hostProxies = new TreeMap<>();
        int free = 0;
        for (ProxyResource p : store.proxies().values()) {
            if (store.isFree(p)) {
                hostProxies.computeIfAbsent(p.host(), h -> new ArrayDeque<>()).addLast(p);
                free++;
            }
        }
        // Trim the first fullest host until it holds at most half of the free proxies.
        int max = maxCount(hostProxies);
        if (max > 0) {
            Deque<ProxyResource> fullest = firstWithCount(hostProxies, max);
            while ((long) max * 2 > free) {
                fullest.removeLast();
                max--;
                free--;
            }
        }
        if (free < proxyNum) {
            throw new BrokerException(BrokerError.NO_AVAILABLE_RESOURCE,
                    "need " + proxyNum + " free proxies on at least 2 hosts, have " + free);
        }
        LinkTable links = LinkTable.of(store.clusters().values());
        if ((long) maxCount(hostProxies) * 2 > free) {
            throw new BrokerException(BrokerError.RESOURCE_NOT_BALANCE);
        }
        List<ChunkStore> chunks = new ArrayList<>();
        while ((long) chunks.size() * 2 < proxyNum) {
            String first = fullestHost(hostProxies);
            String second = first == null ? null : leastLinkedHost(hostProxies, links, first);
            if (second == null) {
                throw new BrokerException(BrokerError.NO_AVAILABLE_RESOURCE, "no second host with a free proxy");
            }
            ProxyResource a = hostProxies.get(first).removeFirst();
            ProxyResource b = hostProxies.get(second).removeFirst();
            links.increment(first, second);
            chunks.add(newChunk(a, b));
        }
        return chunks;
    }

    static ChunkStore newChunk(ProxyResource a, ProxyResource b) {
        List<String> nodes = new ArrayList<>(a.nodeAddresses());
        nodes.addAll(b.nodeAddresses());
        return ChunkStore.of(List.of(a.proxyAddress(), b.proxyAddress()), List.of(a.host(), b.host()), nodes, null, null);
    }

    /**
     * Among hosts other than {@code from} that still have free proxies: fewest links to {@code from},
     * then most free proxies, then the first by name. Null if there is none.
     */
    static String leastLinkedHost(Map<String, ? extends Collection<ProxyResource>> hostProxies, LinkTable links,
                                  String from) {
        String best = null;
        int bestLinks = 0;
        int bestFree = 0;
        for (Map.Entry<String, ? extends Collection<ProxyResource>> e : hostProxies.entrySet()) {
            String host = e.getKey();
            int remaining = e.getValue().size();
            if (host.equals(from) || remaining == 0) {
                continue;
            }
            int l = links.count(from, host);
            if (best == null || l < bestLinks || (l == bestLinks && remaining > bestFree)) {
                best = host;
                bestLinks = l;
                bestFree = remaining;
            }
        }
        return best;
    }

    private static String fullestHost(TreeMap<String, Deque<ProxyResource>> hostProxies) {
        String best = null;
        int bestCount = 0;
        for (Map.Entry<String, Deque<ProxyResource>> e : hostProxies.entrySet()) {
            if (e.getValue().size() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue().size();
            }
        }
        return best;
    }

    private static int maxCount(TreeMap<String, Deque<ProxyResource>> hostProxies) {
        int max = 0;
        for (Deque<ProxyResource> d : hostProxies.values()) {
            max = Math.max(max, d.size());
        }
        return max;
    }

    private static Deque<ProxyResource> firstWithCount(TreeMap<String, Deque<ProxyResource>> hostProxies, int count) {
        for (Deque<ProxyResource> d : hostProxies.values()) {
            if (d.size() == count) {
                return d;
            }
        }
        throw new IllegalStateException("no host with " + count + " proxies");
    }
}
