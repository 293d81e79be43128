package io.undermoon.broker.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.broker.BrokerJson;
import io.undermoon.broker.store.BrokerException;
import io.undermoon.broker.store.ClusterOperations;
import io.undermoon.broker.store.ProxyOperations;
import io.undermoon.broker.store.StoreDraft;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.broker.AddProxyRequest;
import io.undermoon.model.broker.MetaStore;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class EtcdLayoutTest {
    private final EtcdLayout layout = new EtcdLayout("/um");

    /** {@code proxies} proxies on 2 hosts, and a 4-node cluster per 2 proxies for {@code clusters} clusters. */
    static MetaStore store(int proxies, int clusters) throws BrokerException {
        StoreDraft d = StoreDraft.of(MetaStore.empty(false));
        for (int i = 0; i < proxies; i++) {
            String host = "10.0." + (i % 2) + ".1";
            ProxyOperations.addProxy(d, new AddProxyRequest(host + ":" + (6000 + i),
                    List.of(host + ":" + (7000 + 2 * i), host + ":" + (7001 + 2 * i)), null, null));
        }
        for (int c = 0; c < clusters; c++) {
            ClusterOperations.createCluster(d, "cluster" + c, 4, ClusterConfig.DEFAULT);
        }
        ProxyOperations.addFailure(d, "10.0.0.1:6000", "coordinator-1", 1_700_000_000L);
        return d.build();
    }

    @Test
    void aStoreReadsBackAsItWasWritten() throws Exception {
        MetaStore s = store(200, 40);
        SortedMap<String, byte[]> pairs = layout.encode(s, null, null);
        assertThat(layout.decode(pairs)).isEqualTo(s);
        assertThat(BrokerJson.write(layout.decode(pairs))).isEqualTo(BrokerJson.write(s));
        // bounded key count: head, failures, at most 32 + 32 buckets (etcd allows 128 operations per transaction)
        assertThat(pairs.size()).isLessThanOrEqualTo(66);
        assertThat(pairs.keySet()).allMatch(k -> k.startsWith("/um/"));
    }

    @Test
    void aChangeRewritesOnlyTheHeadAndTheBucketsItTouched() throws Exception {
        MetaStore before = store(200, 40);
        SortedMap<String, byte[]> pairsBefore = layout.encode(before, null, null);
        StoreDraft d = StoreDraft.of(before);
        ClusterOperations.createCluster(d, "one-more", 4, ClusterConfig.DEFAULT);
        MetaStore after = d.build();
        SortedMap<String, byte[]> pairsAfter = layout.encode(after, before, pairsBefore);
        int changed = 0;
        for (var e : pairsAfter.entrySet()) {
            byte[] old = pairsBefore.get(e.getKey());
            if (old == null || !java.util.Arrays.equals(old, e.getValue())) {
                changed++;
            } else {
                assertThat(e.getValue()).as("unchanged bucket %s reuses its bytes", e.getKey()).isSameAs(old);
            }
        }
        // the head, the new cluster's bucket, and the buckets of its 2 proxies at most
        assertThat(changed).isBetween(2, 4);
        assertThat(layout.decode(pairsAfter)).isEqualTo(after);
        // decoding against the previous pairs reuses the unchanged buckets and parses the rest
        assertThat(layout.decode(pairsAfter, pairsBefore, before)).isEqualTo(after);
        assertThat(layout.decode(pairsBefore, pairsAfter, after)).isEqualTo(before);
        // and what the reuse produced is what a fresh encoding gives
        SortedMap<String, byte[]> fresh = layout.encode(after, null, null);
        assertThat(fresh.keySet()).isEqualTo(pairsAfter.keySet());
        fresh.forEach((k, v) -> assertThat(pairsAfter.get(k)).as(k).isEqualTo(v));
    }

    @Test
    void somethingElseUnderThePrefixIsRefused() throws Exception {
        Map<String, byte[]> pairs = new HashMap<>(layout.encode(store(4, 1), null, null));
        Map<String, byte[]> foreignKey = new HashMap<>(pairs);
        foreignKey.put("/um/config", "x".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> layout.decode(foreignKey)).isInstanceOf(EtcdLayout.NotOursException.class)
                .hasMessageContaining("/um/config is not part of an undermoon store");

        Map<String, byte[]> noHead = new HashMap<>(pairs);
        noHead.remove("/um/head");
        assertThatThrownBy(() -> layout.decode(noHead)).hasMessageContaining("no /um/head");

        Map<String, byte[]> otherFormat = new HashMap<>(pairs);
        otherFormat.put("/um/head", "{\"format\":\"theirs\",\"version\":\"mem-broker-0.2\",\"global_epoch\":1,"
                .concat("\"enable_ordered_proxy\":false,\"failed_proxies\":[]}").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> layout.decode(otherFormat)).hasMessageContaining("format 'theirs'");

        Map<String, byte[]> garbage = new HashMap<>(pairs);
        String someBucket = pairs.keySet().stream().filter(k -> k.startsWith("/um/proxies/")).findFirst().orElseThrow();
        garbage.put(someBucket, "not json".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> layout.decode(garbage)).hasMessageContaining(someBucket);

        // a record filed under another bucket than its name's is not ours either
        Map<String, byte[]> misfiled = new HashMap<>(pairs);
        String other = someBucket.endsWith("/00") ? "/um/proxies/01" : "/um/proxies/00";
        misfiled.remove(someBucket);
        misfiled.put(other, pairs.get(someBucket));
        assertThatThrownBy(() -> layout.decode(misfiled)).hasMessageContaining("not under its bucket");
    }
}
