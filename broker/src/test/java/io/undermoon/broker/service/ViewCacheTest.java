package io.undermoon.broker.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.broker.MetaStore;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ViewCacheTest {

    @Test
    void computesOncePerStoreAndKeyAndStartsOverForANewStore() {
        ViewCache cache = new ViewCache();
        AtomicInteger computed = new AtomicInteger();
        MetaStore first = MetaStore.empty(false);
        MetaStore second = MetaStore.empty(false); // equal, but another published store
        assertThat(cache.get(first, "a", k -> bytes(k + computed.incrementAndGet()))).isEqualTo(bytes("a1"));
        assertThat(cache.get(first, "a", k -> bytes(k + computed.incrementAndGet()))).isEqualTo(bytes("a1"));
        assertThat(cache.get(first, "b", k -> bytes(k + computed.incrementAndGet()))).isEqualTo(bytes("b2"));
        assertThat(cache.get(second, "a", k -> bytes(k + computed.incrementAndGet()))).isEqualTo(bytes("a3"));
        // a reader still holding the old store is served fresh bytes, never the new store's
        assertThat(cache.get(first, "a", k -> bytes(k + computed.incrementAndGet()))).isEqualTo(bytes("a4"));
        assertThat(computed).hasValue(4);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
