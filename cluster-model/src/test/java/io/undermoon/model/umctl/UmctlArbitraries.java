package io.undermoon.model.umctl;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.model.MigrationConfig;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.umctl.SetReplArgs.Entry;
import io.undermoon.model.umctl.SetReplArgs.Master;
import io.undermoon.model.umctl.SetReplArgs.Peer;
import io.undermoon.model.umctl.SetReplArgs.Replica;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of valid UMCTL values and of hostile token lists, shared by the property tests. */
final class UmctlArbitraries {

    /** Tokens that steer the parsers into their branches, including huge and malformed counts. */
    static final List<String> VOCABULARY = List.of(
            "v2", "v1", "V2", "0", "1", "2", "3", "-1", "+3", "007", "", " ", "NOFLAG", "noflag", "FORCE", "COMPRESS",
            "force,compress", "PEER", "peer", "CONFIG", "config", "MIGRATING", "migrating", "IMPORTING", "importing",
            "master", "MASTER", "replica", "slave", "mgr-0.2", "mgr-0.1", "mycluster", "bad name", "d.b", "\u540d\u5b57",
            "127.0.0.1:6379", "127.0.0.1:7000", "0-100", "100-0", "0-16383", "16383-16383", "16384-0", "0-16384",
            "1-2-3", "300", "-", "a-b", "1-", "-5", "2147483647", "2147483648", "4294967296", "9223372036854775807",
            "9223372036854775808", "18446744073709551615", "99999999999999999999", "\u0661",
            "compression_strategy", "allow_all", "set_get_only", "migration_scan_count", "migration_max_blocking_time",
            "migration_scan_interval", "migration_max_migration_time", "unknown_field", "H4sIAAAAAAAA", "====");

    private UmctlArbitraries() {}

    static Arbitrary<String> clusterNames() {
        return Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z').withCharRange('0', '9')
                .withChars('@', '-', '_').ofMaxLength(31);
    }

    /** Addresses as tokens: no spaces (INFOMGR lines are split on them), any other printable text. */
    static Arbitrary<String> addresses() {
        Arbitrary<String> hostPort = Combinators.combine(
                        Arbitraries.of("127.0.0.1", "10.0.0.2", "localhost", "redis-a.example"),
                        Arbitraries.integers().between(1, 65535))
                .as((host, port) -> host + ":" + port);
        Arbitrary<String> odd = Arbitraries.strings().withCharRange('!', '~').withCharRange('\u00a1', '\u07ff')
                .ofMaxLength(12)
                .filter(s -> !UmctlText.equalsIgnoreAsciiCase(s, "PEER") && !UmctlText.equalsIgnoreAsciiCase(s, "CONFIG"));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(5, hostPort), net.jqwik.api.Tuple.of(1, odd));
    }

    static Arbitrary<RangeList> rangeLists() {
        Arbitrary<Integer> slot = Arbitraries.integers().between(0, 16383);
        Arbitrary<Range> range = Combinators.combine(slot, slot).as(Range::of);
        return range.list().ofMaxSize(5).map(RangeList::of);
    }

    static Arbitrary<MigrationMeta> migrationMetas() {
        return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE),
                        addresses(), addresses(), addresses(), addresses())
                .as(MigrationMeta::new);
    }

    static Arbitrary<SlotRange> slotRanges() {
        Arbitrary<SlotRangeTag> tag = Arbitraries.oneOf(
                Arbitraries.just(SlotRangeTag.NONE),
                migrationMetas().map(SlotRangeTag.Migrating::new),
                migrationMetas().map(SlotRangeTag.Importing::new));
        return Combinators.combine(rangeLists(), tag).as(SlotRange::new);
    }

    static Arbitrary<SlotRange> taggedSlotRanges() {
        return slotRanges().filter(r -> !r.tag().isStable());
    }

    static Arbitrary<Map<String, List<SlotRange>>> nodeMaps() {
        return Arbitraries.maps(addresses(), slotRanges().list().ofMaxSize(3)).ofMaxSize(4);
    }

    static Arbitrary<ClusterConfig> clusterConfigs() {
        Arbitrary<Long> time = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<MigrationConfig> migration = Combinators.combine(time, time, time,
                        Arbitraries.longs().between(1, Long.MAX_VALUE))
                .as(MigrationConfig::new);
        return Combinators.combine(Arbitraries.of(CompressionStrategy.class), migration).as(ClusterConfig::new);
    }

    static Arbitrary<SetClusterArgs> setClusterArgs() {
        return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(true, false),
                        clusterNames(), nodeMaps(), nodeMaps(), clusterConfigs())
                .as((epoch, force, name, local, peer, config) ->
                        new SetClusterArgs(epoch, new UmctlFlags(force, false), name, local, peer, config, false));
    }

    static Arbitrary<SetReplArgs> setReplArgs() {
        Arbitrary<List<Peer>> peers = Combinators.combine(addresses(), addresses()).as(Peer::new).list().ofMaxSize(3);
        Arbitrary<Entry> entry = Combinators.combine(Arbitraries.of(true, false), clusterNames(), addresses(), peers)
                .as((master, name, node, p) -> master ? new Master(name, node, p) : new Replica(name, node, p));
        return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), Arbitraries.of(true, false),
                        entry.list().ofMaxSize(4))
                .as((epoch, force, entries) -> new SetReplArgs(epoch, new UmctlFlags(force, false), entries));
    }

    static Arbitrary<MigrationTask> migrationTasks() {
        return Combinators.combine(clusterNames(), taggedSlotRanges()).as(MigrationTask::new);
    }

    /** Token lists built from the vocabulary and arbitrary text. */
    static Arbitrary<List<String>> hostileTokens() {
        Arbitrary<String> token = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(VOCABULARY)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(8)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 20000).map(String::valueOf)));
        return token.list().ofMaxSize(40);
    }

    /** Raw byte tokens: vocabulary words mixed with arbitrary bytes (often not UTF-8). */
    static Arbitrary<List<byte[]>> hostileByteTokens() {
        Arbitrary<byte[]> token = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.of(VOCABULARY).map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(12)));
        return token.list().ofMaxSize(40);
    }
}
