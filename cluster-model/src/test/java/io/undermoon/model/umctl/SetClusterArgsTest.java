package io.undermoon.model.umctl;

import static io.undermoon.model.umctl.Tokens.DEFAULT_CONFIG;
import static io.undermoon.model.umctl.Tokens.args;
import static io.undermoon.model.umctl.Tokens.assertFails;
import static io.undermoon.model.umctl.Tokens.bytes;
import static io.undermoon.model.umctl.Tokens.concat;
import static io.undermoon.model.umctl.Tokens.split;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.umctl.UmctlParseException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SetClusterArgsTest {

    private static SetClusterArgs parse(String argsLine) throws UmctlParseException {
        return SetClusterArgs.parseStrings(split(argsLine));
    }

    private static final String FULL = "v2 233 FORCE cluster_name 127.0.0.1:7000 1 0-1000 127.0.0.1:7001 1 1001-2000"
            + " PEER 127.0.0.2:7001 1 2001-3000 127.0.0.2:7002 1 3001-4000";

    @Test
    void proxySpecExampleWithPeer() throws Exception {
        List<String> args = args("UMCTL SETCLUSTER v2 1 NOFLAG mydb 127.0.0.1:6379 1 0-8000 PEER 127.0.0.1:7000 1 8001-16383");
        SetClusterArgs meta = SetClusterArgs.parse(bytes(args));

        assertThat(meta.epoch()).isEqualTo(1);
        assertThat(meta.flags()).isEqualTo(UmctlFlags.NONE);
        assertThat(meta.clusterName()).isEqualTo("mydb");
        assertThat(meta.local()).isEqualTo(Map.of("127.0.0.1:6379", List.of(SlotRange.stable(0, 8000))));
        assertThat(meta.peer()).isEqualTo(Map.of("127.0.0.1:7000", List.of(SlotRange.stable(8001, 16383))));
        assertThat(meta.clusterConfig()).isEqualTo(ClusterConfig.DEFAULT);
        assertThat(meta.configIgnored()).isFalse();
        assertThat(meta.toTokens()).isEqualTo(concat(args, DEFAULT_CONFIG));
    }

    @Test
    void coordinatorExampleIsReproducedExactly() throws Exception {
        String line = "UMCTL SETCLUSTER v2 3 NOFLAG mycluster 127.0.0.1:7001 1 0-8191 PEER 127.0.0.1:6002 1 8192-16383"
                + " CONFIG compression_strategy disabled migration_max_migration_time 10800 migration_max_blocking_time 10000"
                + " migration_scan_interval 500 migration_scan_count 16";
        SetClusterArgs built = SetClusterArgs.of(3, "mycluster",
                Map.of("127.0.0.1:7001", List.of(SlotRange.stable(0, 8191))),
                Map.of("127.0.0.1:6002", List.of(SlotRange.stable(8192, 16383))),
                ClusterConfig.DEFAULT);

        assertThat(built.toTokens()).isEqualTo(args(line));
        assertThat(SetClusterArgs.parseStrings(args(line))).isEqualTo(built);
    }

    @Test
    void coordinatorTestArgumentsStartExactly() {
        SetClusterArgs built = SetClusterArgs.of(7799, "mycluster",
                Map.of("127.0.0.1:7001", List.of(SlotRange.stable(233, 666))), Map.of(), ClusterConfig.DEFAULT);

        assertThat(built.toTokens()).startsWith("v2", "7799", "NOFLAG", "mycluster", "127.0.0.1:7001", "1", "233-666", "CONFIG");
        assertThat(built.toTokens()).isEqualTo(concat(split("v2 7799 NOFLAG mycluster 127.0.0.1:7001 1 233-666"), DEFAULT_CONFIG));
    }

    @Test
    void migratingLocalExample() throws Exception {
        String local = "127.0.0.1:7001 1 0-4095 127.0.0.1:7001 MIGRATING 1 4096-8191 9 127.0.0.1:6001 127.0.0.1:7001"
                + " 127.0.0.1:6003 127.0.0.1:7005";
        List<String> args = concat(split("v2 9 NOFLAG mycluster " + local + " PEER 127.0.0.1:6002 1 8192-16383"),
                DEFAULT_CONFIG);
        SetClusterArgs meta = SetClusterArgs.parseStrings(args);

        MigrationMeta migration = new MigrationMeta(9, "127.0.0.1:6001", "127.0.0.1:7001", "127.0.0.1:6003", "127.0.0.1:7005");
        assertThat(meta.local()).isEqualTo(Map.of("127.0.0.1:7001", List.of(
                SlotRange.stable(0, 4095),
                new SlotRange(RangeList.of(new Range(4096, 8191)), new SlotRangeTag.Migrating(migration)))));
        assertThat(meta.toTokens()).isEqualTo(args);
    }

    @Test
    void freeProxyAtEpoch7() throws Exception {
        SetClusterArgs free = SetClusterArgs.of(7, "", Map.of(), Map.of(), ClusterConfig.DEFAULT);
        List<String> expected = concat(List.of("v2", "7", "NOFLAG", ""), DEFAULT_CONFIG);

        assertThat(free.toTokens()).isEqualTo(expected);
        SetClusterArgs parsed = SetClusterArgs.parse(bytes(expected));
        assertThat(parsed).isEqualTo(free);
        assertThat(parsed.clusterName()).isEmpty();
        assertThat(parsed.local()).isEmpty();
    }

    @Test
    void nodesWithEmptySlotListsContributeNothingToThePlainForm() {
        SetClusterArgs meta = SetClusterArgs.of(5, "mycluster",
                Map.of("127.0.0.1:7001", List.of(SlotRange.stable(0, 100)), "127.0.0.1:7003", List.of()),
                Map.of("127.0.0.1:6002", List.of()), ClusterConfig.DEFAULT);

        assertThat(meta.toTokens()).isEqualTo(concat(split("v2 5 NOFLAG mycluster 127.0.0.1:7001 1 0-100"), DEFAULT_CONFIG));
    }

    @Test
    void referenceFullExampleWithForceAndPartialConfig() throws Exception {
        SetClusterArgs meta = parse(FULL + " CONFIG compression_strategy set_get_only");

        assertThat(meta.epoch()).isEqualTo(233);
        assertThat(meta.flags().force()).isTrue();
        assertThat(meta.local()).containsOnlyKeys("127.0.0.1:7000", "127.0.0.1:7001");
        assertThat(meta.local().get("127.0.0.1:7001").get(0).rangeList().ranges().get(0).start()).isEqualTo(1001);
        assertThat(meta.peer()).containsOnlyKeys("127.0.0.2:7001", "127.0.0.2:7002");
        assertThat(meta.peer().get("127.0.0.2:7002").get(0).rangeList().ranges().get(0).start()).isEqualTo(3001);
        assertThat(meta.clusterConfig().compressionStrategy()).isEqualTo(CompressionStrategy.SET_GET_ONLY);
        assertThat(meta.configIgnored()).isFalse();
        assertThat(meta.toTokens()).isEqualTo(split(FULL + " CONFIG compression_strategy set_get_only"
                + " migration_max_migration_time 10800 migration_max_blocking_time 10000"
                + " migration_scan_interval 500 migration_scan_count 16"));
    }

    @Test
    void withoutPeer() throws Exception {
        SetClusterArgs meta = parse("v2 233 FORCE cluster_name 127.0.0.1:7000 1 0-1000 CONFIG compression_strategy set_get_only");

        assertThat(meta.peer()).isEmpty();
        assertThat(meta.clusterConfig().compressionStrategy()).isEqualTo(CompressionStrategy.SET_GET_ONLY);
        assertThat(meta.toTokens()).doesNotContain("PEER");
    }

    @Test
    void configFieldsAreSetAndAllFiveAreWritten() throws Exception {
        SetClusterArgs meta = parse("v2 1 NOFLAG c a:1 1 0-1 CONFIG compression_strategy allow_all"
                + " migration_max_blocking_time 66699 MIGRATION_MAX_MIGRATION_TIME 666");

        assertThat(meta.clusterConfig().compressionStrategy()).isEqualTo(CompressionStrategy.ALLOW_ALL);
        assertThat(meta.clusterConfig().migrationConfig().maxMigrationTime()).isEqualTo(666);
        assertThat(meta.clusterConfig().migrationConfig().maxBlockingTime()).isEqualTo(66699);
        List<String> tokens = meta.toTokens();
        assertThat(tokens.subList(tokens.indexOf("CONFIG"), tokens.size())).isEqualTo(split(
                "CONFIG compression_strategy allow_all migration_max_migration_time 666 migration_max_blocking_time 66699"
                        + " migration_scan_interval 500 migration_scan_count 16"));
    }

    @Test
    void repeatedAddressesAddOneRangeEach() throws Exception {
        SetClusterArgs meta = parse("v2 1 NOFLAG c 127.0.0.1:6379 1 0-1000 127.0.0.1:6379 1 1001-2000");

        assertThat(meta.local()).containsOnlyKeys("127.0.0.1:6379");
        assertThat(meta.local().get("127.0.0.1:6379")).containsExactly(SlotRange.stable(0, 1000), SlotRange.stable(1001, 2000));
        assertThat(meta.toTokens().subList(4, 10)).isEqualTo(split("127.0.0.1:6379 1 0-1000 127.0.0.1:6379 1 1001-2000"));
    }

    @Test
    void taggedRangesRoundTripAndTagsAreCaseInsensitive() throws Exception {
        String nodes = "127.0.0.1:7000 1 0-1000 127.0.0.1:7001 IMPORTING 1 1001-2000 233 127.0.0.2:7001 127.0.0.2:6001"
                + " 127.0.0.1:7001 127.0.0.1:6002 127.0.0.1:7002 MIGRATING 1 0-2000 666 127.0.0.2:7001 127.0.0.2:6001"
                + " 127.0.0.1:7001 127.0.0.1:6002";
        SetClusterArgs upper = parse("v2 1 NOFLAG c " + nodes);
        SetClusterArgs lower = parse("v2 1 NOFLAG c " + nodes.replace("IMPORTING", "importing").replace("MIGRATING", "Migrating"));

        assertThat(lower).isEqualTo(upper);
        assertThat(upper.local().get("127.0.0.1:7001").get(0).tag()).isInstanceOf(SlotRangeTag.Importing.class);
        assertThat(upper.local().get("127.0.0.1:7002").get(0).tag()).isInstanceOf(SlotRangeTag.Migrating.class);
        assertThat(upper.local().get("127.0.0.1:7002").get(0).tag().metaOrNull().epoch()).isEqualTo(666);
        assertThat(lower.toTokens()).isEqualTo(concat(split("v2 1 NOFLAG c " + nodes), DEFAULT_CONFIG));
    }

    @Test
    void keywordsAreCaseInsensitiveAndALaterPeerSectionReplacesAnEarlierOne() throws Exception {
        SetClusterArgs meta = parse("v2 1 NOFLAG c a:1 1 0-1 peer b:1 1 2-3 Peer d:1 1 4-5 config compression_strategy allow_all");

        assertThat(meta.peer()).isEqualTo(Map.of("d:1", List.of(SlotRange.stable(4, 5))));
        assertThat(meta.clusterConfig().compressionStrategy()).isEqualTo(CompressionStrategy.ALLOW_ALL);
    }

    @Test
    void rangeRules() throws Exception {
        assertThat(parse("v2 1 NOFLAG c a:1 1 0-100-200").local().get("a:1").get(0)).isEqualTo(SlotRange.stable(0, 100));
        assertThat(parse("v2 1 NOFLAG c a:1 1 8000-0").local().get("a:1").get(0)).isEqualTo(SlotRange.stable(0, 8000));
        assertThat(parse("v2 1 NOFLAG c a:1 2 0-997 999-1000").local().get("a:1").get(0).rangeList().ranges()).hasSize(2);
        assertThat(parse("v2 1 NOFLAG c a:1 3 0-1365 1366-1638 1639-2047").local().get("a:1").get(0))
                .isEqualTo(SlotRange.stable(0, 2047));
        assertThat(parse("v2 1 NOFLAG c a:1 2 666-999 233-0").local().get("a:1").get(0).toString()).isEqualTo("2 0-233 666-999");
        assertThat(parse("v2 1 NOFLAG c a:1 1 300-300").local().get("a:1").get(0)).isEqualTo(SlotRange.stable(300, 300));
        assertThat(parse("v2 1 NOFLAG c a:1 1 +1-+0016383").local().get("a:1").get(0)).isEqualTo(SlotRange.stable(1, 16383));
        SetClusterArgs empty = parse("v2 1 NOFLAG c a:1 0 PEER b:1 0");
        assertThat(empty.local().get("a:1")).containsExactly(SlotRange.stable(RangeList.EMPTY));
        assertThat(empty.toTokens().subList(4, 9)).isEqualTo(split("a:1 0 PEER b:1 0"));
    }

    @Test
    void epochAndFlagForms() throws Exception {
        assertThat(parse("v2 +5 noflags c").epoch()).isEqualTo(5);
        assertThat(parse("v2 007 NOFLAG c").epoch()).isEqualTo(7);
        assertThat(parse("v2 " + Long.MAX_VALUE + " NOFLAG c").epoch()).isEqualTo(Long.MAX_VALUE);
        assertThat(parse("v2 1 force c").flags()).isEqualTo(new UmctlFlags(true, false));
        assertThat(parse("v2 1 xyz,Force c").flags()).isEqualTo(new UmctlFlags(true, false));
        assertThat(parse("v2 1 anything c").flags()).isEqualTo(UmctlFlags.NONE);
        assertThat(parse("v2 1 FORCE c").toTokens().get(2)).isEqualTo("FORCE");
    }

    @Test
    void nonUtf8TokensAreSkippedSoTheRestShiftsLeft() throws Exception {
        List<String> args = split("v2 1 NOFLAG mydb 127.0.0.1:6379 1 0-8000");
        List<byte[]> raw = new ArrayList<>(bytes(args));
        raw.add(1, new byte[] {(byte) 0xff, (byte) 0xfe});
        raw.add(new byte[] {(byte) 0xc0, (byte) 0x80});

        assertThat(SetClusterArgs.parse(raw)).isEqualTo(SetClusterArgs.parseStrings(args));
    }

    @Test
    void versionErrors() {
        assertFails(Reason.InvalidVersion, () -> parse("v1 1 NOFLAG c"));
        assertFails(Reason.InvalidVersion, () -> parse("V2 1 NOFLAG c"));
        assertFails(Reason.InvalidVersion, () -> parse("1 NOFLAG c"));
        assertFails(Reason.InvalidArgs, () -> SetClusterArgs.parseStrings(List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1.5", "\"\"", "+", "18446744073709551615", "9223372036854775808", "\u0663", "1e3"})
    void badEpochIsInvalidArgs(String epoch) {
        assertFails(Reason.InvalidArgs, () -> parse("v2 " + epoch + " NOFLAG c"));
    }

    @Test
    void missingTokensAreInvalidArgs() {
        assertFails(Reason.InvalidArgs, () -> parse("v2"));
        assertFails(Reason.InvalidArgs, () -> parse("v2 1"));
        assertFails(Reason.InvalidArgs, () -> parse("v2 1 NOFLAG"));
        assertFails(Reason.InvalidArgs, () -> parse("v2 1 COMPRESS"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"my.db", "bad/name", "abcdefghijabcdefghijabcdefghijab", "\u540d\u5b57", "db\u00e9"})
    void badClusterNameIsInvalidClusterName(String name) {
        assertFails(Reason.InvalidClusterName, () -> SetClusterArgs.parseStrings(List.of("v2", "1", "NOFLAG", name)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a:1 1 300", "a:1 1 a-b", "a:1 1 1-", "a:1 1 -1", "a:1 1 0-16384", "a:1 1 16384-16384", "a:1 1 99999999999-0",
        "a:1 2 0-100", "a:1 99999999999999999999 0-1", "a:1 2147483647 0-1", "a:1 -1 0-1", "a:1 x 0-1", "a:1", "a:1 1",
        "a:1 1 0-100 stray", "a:1 1 0-100 stray 1", "a:1 MIGRATING 1 0-1 2 p1 n1 p2", "a:1 IMPORTING 1 0-1 x p1 n1 p2 n2",
        "a:1 MIGRATING 0-1 2 p1 n1 p2 n2", "a:1 1 0-1 PEER b:1", "a:1 1 0-1 PEER b:1 1 0-99999", "a:1 1 1-\u0663",
        "a:1 1 0-1 PEER b:1 1 2-3 CONFIG compression_strategy disabled PEER x",
    })
    void badNodeSectionsAreInvalidArgs(String nodes) {
        assertFails(Reason.InvalidArgs, () -> parse("v2 1 NOFLAG c " + nodes));
    }

    @Test
    void badConfigWithCompleteMetadataIsIgnoredWithAWarning() throws Exception {
        String complete = "v2 233 FORCE cluster_name 127.0.0.1:7000 1 0-1000 PEER 127.0.0.2:7001 1 2001-3000 ";
        for (String config : List.of(
                "CONFIG set_get_only",
                "CONFIG config_field_that_does_not_exist invalid_value",
                "CONFIG migration_scan_count 0",
                "CONFIG compression_strategy lz4",
                "CONFIG migration_max_blocking_time -5",
                "CONFIG compression_strategy allow_all migration_bogus 1 migration_scan_count 32")) {
            SetClusterArgs meta = parse(complete + config);
            assertThat(meta.configIgnored()).as(config).isTrue();
            assertThat(meta.clusterConfig()).as(config).isEqualTo(ClusterConfig.DEFAULT);
            assertThat(meta.epoch()).isEqualTo(233);
            assertThat(meta.peer()).containsOnlyKeys("127.0.0.2:7001");
        }
    }

    @Test
    void badConfigWithIncompleteMetadataIsAHardError() {
        assertFails(Reason.InvalidArgs, () -> parse("v2 233 FORCE cluster_name 127.0.0.1:7000 1 0-1000"
                + " CONFIG cluster_name config_field_that_does_not_exist invalid_value"));
        assertFails(Reason.InvalidArgs, () -> parse("v2 7 NOFLAG \"\" PEER b:1 1 0-1 CONFIG migration_scan_count 0"));
        // The peer map is judged when the CONFIG section is read, as the reference does.
        assertFails(Reason.InvalidArgs, () -> parse("v2 1 NOFLAG c a:1 1 0-1 CONFIG migration_scan_count 0 PEER b:1 1 2-3"));
    }

    @Test
    void aValueSlotHoldingAKeywordEndsTheBadSectionAndTheKeywordStillCounts() throws Exception {
        SetClusterArgs meta = parse("v2 1 NOFLAG c a:1 1 0-1 PEER b:1 1 2-3 CONFIG compression_strategy PEER d:1 1 4-5");

        assertThat(meta.configIgnored()).isTrue();
        assertThat(meta.peer()).isEqualTo(Map.of("d:1", List.of(SlotRange.stable(4, 5))));
    }

    @Test
    void configSections() throws Exception {
        assertThat(parse("v2 1 NOFLAG c CONFIG").clusterConfig()).isEqualTo(ClusterConfig.DEFAULT);
        SetClusterArgs twice = parse("v2 1 NOFLAG c CONFIG compression_strategy allow_all CONFIG migration_scan_count 3");
        assertThat(twice.clusterConfig().compressionStrategy()).isEqualTo(CompressionStrategy.DISABLED);
        assertThat(twice.clusterConfig().migrationConfig().scanCount()).isEqualTo(3);
        SetClusterArgs keptEarlier = parse("v2 1 NOFLAG c a:1 1 0-1 PEER b:1 1 2-3"
                + " CONFIG compression_strategy allow_all CONFIG migration_scan_count 0");
        assertThat(keptEarlier.configIgnored()).isTrue();
        assertThat(keptEarlier.clusterConfig().compressionStrategy()).isEqualTo(CompressionStrategy.ALLOW_ALL);
    }

    @Test
    void constructorRejectsValuesThatCannotBeSent() {
        Map<String, List<SlotRange>> none = Map.of();
        assertThatThrownBy(() -> SetClusterArgs.of(-1, "c", none, none, ClusterConfig.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetClusterArgs.of(1, "bad name", none, none, ClusterConfig.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetClusterArgs.of(1, "c", Map.of("peer", List.of()), none, ClusterConfig.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SetClusterArgs.of(1, "c", Map.of("a:1", List.of(SlotRange.stable(0, 16384))), none,
                ClusterConfig.DEFAULT)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mapsAreSortedImmutableAndCompacted() {
        Map<String, List<SlotRange>> local = new java.util.HashMap<>();
        local.put("b:1", List.of(new SlotRange(new RangeList(List.of(new Range(5, 9), new Range(0, 4))), SlotRangeTag.NONE)));
        local.put("a:1", List.of(SlotRange.stable(10, 10)));
        SetClusterArgs meta = SetClusterArgs.of(1, "c", local, Map.of(), ClusterConfig.DEFAULT);

        assertThat(meta.local().keySet()).containsExactly("a:1", "b:1");
        assertThat(meta.local().get("b:1")).containsExactly(SlotRange.stable(0, 9));
        assertThatThrownBy(() -> meta.local().put("x", List.of())).isInstanceOf(UnsupportedOperationException.class);
    }
}
