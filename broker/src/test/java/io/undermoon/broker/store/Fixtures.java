package io.undermoon.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.broker.AddProxyRequest;
import io.undermoon.model.broker.ChunkStore;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.MigrationSlotRangeStore;
import io.undermoon.model.broker.ProxyResource;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** Builders and checks shared by the store tests. */
final class Fixtures {
    private Fixtures() {}

    /** Proxy {@code i} of host {@code h}: {@code 10.0.h.1:(6000+i)}, nodes {@code 10.0.h.1:(7000+2i)} and {@code +1}. */
    static String proxy(int host, int i) {
        return "10.0." + host + ".1:" + (6000 + i);
    }

    static String host(int host) {
        return "10.0." + host + ".1";
    }

    static AddProxyRequest addRequest(int host, int i, Long index) {
        String h = host(host);
        return new AddProxyRequest(proxy(host, i), List.of(h + ":" + (7000 + 2 * i), h + ":" + (7001 + 2 * i)), null, index);
    }

    /** Registers {@code perHost} proxies on each of {@code hosts} hosts (host derived from the IP). */
    static StoreDraft withProxies(int hosts, int perHost) throws BrokerException {
        return withProxies(MetaStore.empty(false), hosts, perHost);
    }

    static StoreDraft withProxies(MetaStore base, int hosts, int perHost) throws BrokerException {
        StoreDraft d = StoreDraft.of(base);
        for (int h = 0; h < hosts; h++) {
            for (int i = 0; i < perHost; i++) {
                ProxyOperations.addProxy(d, addRequest(h, i, null));
            }
        }
        return d;
    }

    /**
     * A draft with a cluster of {@code nodes} nodes on {@code hosts} hosts x {@code perHost} proxies,
     * whose replicas have all completed their sync (a cluster that has been running a while).
     */
    static StoreDraft withCluster(String name, int nodes, int hosts, int perHost) throws BrokerException {
        StoreDraft d = withProxies(hosts, perHost);
        ClusterOperations.createCluster(d, name, nodes, ClusterConfig.DEFAULT);
        syncAllReplicas(d);
        return d;
    }

    /** Marks every replica of every cluster synced with its current master (no epoch change). */
    static void syncAllReplicas(StoreDraft d) {
        for (ClusterStore c : List.copyOf(d.clusters().values())) {
            List<ChunkStore> chunks = new java.util.ArrayList<>();
            for (ChunkStore chunk : c.chunks()) {
                chunks.add(chunk.withReplicaSynced(0, true).withReplicaSynced(1, true));
            }
            d.putCluster(c.withChunks(chunks));
        }
    }

    static RangeList ranges(int... bounds) {
        List<Range> r = new ArrayList<>();
        for (int i = 0; i < bounds.length; i += 2) {
            r.add(new Range(bounds[i], bounds[i + 1]));
        }
        return RangeList.of(r);
    }

    /** A task as "(srcChunk,srcPart)->(dstChunk,dstPart): ranges", from the stored migrating records. */
    static List<String> tasks(ClusterStore c) {
        List<String> out = new ArrayList<>();
        for (ChunkStore chunk : c.chunks()) {
            for (int part = 0; part < 2; part++) {
                for (MigrationSlotRangeStore r : chunk.migrating(part)) {
                    if (r.isMigrating()) {
                        out.add(describe(r));
                    }
                }
            }
        }
        return out;
    }

    static String describe(MigrationSlotRangeStore r) {
        var m = r.meta();
        StringBuilder sb = new StringBuilder("(" + m.srcChunkIndex() + "," + m.srcChunkPart() + ")->("
                + m.dstChunkIndex() + "," + m.dstChunkPart() + "):");
        for (Range range : r.rangeList().ranges()) {
            sb.append(' ').append(range);
        }
        return sb.toString();
    }

    /** Stable ranges of every part, null parts as "-". */
    static List<String> stable(ClusterStore c) {
        List<String> out = new ArrayList<>();
        for (ChunkStore chunk : c.chunks()) {
            for (int part = 0; part < 2; part++) {
                SlotRange s = chunk.stable(part);
                out.add(s == null ? "-" : String.join(" ", s.rangeList().toTokens().subList(1, s.rangeList().toTokens().size())));
            }
        }
        return out;
    }

    /**
     * Every slot owned exactly once by a stable range or an outgoing migration (the source still
     * serves a range until it is committed), and every migration stored on both sides.
     */
    static void assertSlotsCoveredOnce(ClusterStore c) {
        BitSet seen = new BitSet(SlotHash.SLOT_NUM);
        int migrating = 0;
        int importing = 0;
        for (ChunkStore chunk : c.chunks()) {
            for (int part = 0; part < 2; part++) {
                List<RangeList> owned = new ArrayList<>();
                if (chunk.stable(part) != null) {
                    owned.add(chunk.stable(part).rangeList());
                }
                for (MigrationSlotRangeStore r : chunk.migrating(part)) {
                    if (r.isMigrating()) {
                        owned.add(r.rangeList());
                        migrating++;
                    } else {
                        importing++;
                    }
                }
                for (RangeList rl : owned) {
                    for (Range r : rl.ranges()) {
                        for (int s = r.start(); s <= r.end(); s++) {
                            assertThat(seen.get(s)).as("slot %d owned twice", s).isFalse();
                            seen.set(s);
                        }
                    }
                }
            }
        }
        assertThat(seen.cardinality()).as("slots covered").isEqualTo(SlotHash.SLOT_NUM);
        assertThat(migrating).as("each task stored on both sides").isEqualTo(importing);
    }

    /** Every proxy's cluster field agrees with the chunks. */
    static void assertProxiesConsistent(MetaStore s) {
        for (ClusterStore c : s.clusters().values()) {
            for (String p : c.proxyAddresses()) {
                ProxyResource r = s.allProxies().get(p);
                assertThat(r).as("proxy %s of %s registered", p, c.name()).isNotNull();
                assertThat(r.cluster()).as("cluster of %s", p).isEqualTo(c.name());
            }
        }
        for (ProxyResource r : s.allProxies().values()) {
            if (r.cluster() != null) {
                assertThat(s.clusters().get(r.cluster()).proxyAddresses()).contains(r.proxyAddress());
            }
        }
    }
}
