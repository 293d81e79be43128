package io.undermoon.broker.store;

import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ProxyResource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Ordered-proxy allocation (Kubernetes StatefulSets, spec §4.5): proxies are paired in index order,
 * (k, k+1), (k+2, k+3)..., and the indexes must continue exactly where the cluster ends. Hosts are
 * not considered.
 */
final class OrderedChunkAllocator {
    private OrderedChunkAllocator() {}

    static List<ChunkStore> allocate(StoreDraft store, long proxyNum, long firstIndex) throws BrokerException {
        List<ProxyResource> free = new ArrayList<>();
        for (ProxyResource p : store.proxies().values()) {
            if (store.isFree(p)) {
                free.add(p);
            }
        }
        if (free.size() < proxyNum) {
            throw new BrokerException(BrokerError.NO_AVAILABLE_RESOURCE,
                    "need " + proxyNum + " free proxies, have " + free.size());
        }
        free.sort(Comparator.comparingLong(ProxyResource::index).thenComparing(ProxyResource::proxyAddress));
        List<ProxyResource> chosen = free.subList(0, (int) proxyNum);
        for (int i = 0; i < chosen.size(); i++) {
            if (chosen.get(i).index() != firstIndex + i) {
                throw new BrokerException(BrokerError.PROXY_RESOURCE_OUT_OF_ORDER,
                        "expected proxy index " + (firstIndex + i) + ", found " + chosen.get(i).index());
            }
        }
        List<ChunkStore> chunks = new ArrayList<>();
        for (int i = 0; i + 1 < chosen.size(); i += 2) {
            chunks.add(ChunkAllocator.newChunk(chosen.get(i), chosen.get(i + 1)));
        }
        return chunks;
    }
}
