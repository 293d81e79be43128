package io.undermoon.coordinator.proxy;

import static io.undermoon.coordinator.testing.Views.clusterProxy;
import static io.undermoon.coordinator.testing.Views.freeProxy;
import static io.undermoon.coordinator.testing.Views.importing;
import static io.undermoon.coordinator.testing.Views.master;
import static io.undermoon.coordinator.testing.Views.meta;
import static io.undermoon.coordinator.testing.Views.migrating;
import static io.undermoon.coordinator.testing.Views.peer;
import static io.undermoon.coordinator.testing.Views.replica;
import static io.undermoon.coordinator.testing.Views.stable;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.SlotRange;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.model.umctl.SetClusterArgs;
import io.undermoon.model.umctl.UmctlParseException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyMetaCommandsTest {
    private static final List<String> DEFAULT_CONFIG = List.of("CONFIG", "compression_strategy", "disabled",
            "migration_max_migration_time", "10800", "migration_max_blocking_time", "10000",
            "migration_scan_interval", "500", "migration_scan_count", "16");

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    /** The unit-test proxy of the reference: one master 127.0.0.1:7001 with 233-666, replica 127.0.0.1:7002 on 6001. */
    private static ProxyView referenceTestProxy() {
        return clusterProxy("mycluster", "127.0.0.1:6000", 7799,
                List.of(master("127.0.0.1:7001", "127.0.0.1:6000", List.of(stable(233, 666)), "127.0.0.1:7002", "127.0.0.1:6001")),
                List.of());
    }

    @Test
    void setReplArgsAreExactlyThoseOfTheReferenceTest() {
        assertThat(ProxyMetaCommands.setReplArgs(referenceTestProxy()).toTokens()).containsExactly(
                "7799", "NOFLAG", "master", "mycluster", "127.0.0.1:7001", "1", "127.0.0.1:7002", "127.0.0.1:6001");
        assertThat(ProxyMetaCommands.setRepl(referenceTestProxy())).startsWith("UMCTL", "SETREPL", "7799");
    }

    @Test
    void setClusterArgsAreExactlyThoseOfTheReferenceTest() {
        assertThat(ProxyMetaCommands.setCluster(referenceTestProxy(), false)).isEqualTo(concat(
                List.of("UMCTL", "SETCLUSTER", "v2", "7799", "NOFLAG", "mycluster", "127.0.0.1:7001", "1", "233-666"),
                DEFAULT_CONFIG));
    }

    /** Spec §6.4.1 and §6.5: proxy 127.0.0.1:6001 of a 4-node cluster at epoch 3. */
    private static ProxyView fourNodeProxy() {
        return clusterProxy("mycluster", "127.0.0.1:6001", 3,
                List.of(master("127.0.0.1:7001", "127.0.0.1:6001", List.of(stable(0, 8191)), "127.0.0.1:7004", "127.0.0.1:6002"),
                        replica("127.0.0.1:7002", "127.0.0.1:6001", "127.0.0.1:7003", "127.0.0.1:6002")),
                List.of(peer("127.0.0.1:6002", stable(8192, 16383))));
    }

    @Test
    void specExampleSetCluster() {
        assertThat(String.join(" ", ProxyMetaCommands.setCluster(fourNodeProxy(), false))).isEqualTo(
                "UMCTL SETCLUSTER v2 3 NOFLAG mycluster 127.0.0.1:7001 1 0-8191 PEER 127.0.0.1:6002 1 8192-16383 CONFIG "
                        + "compression_strategy disabled migration_max_migration_time 10800 migration_max_blocking_time 10000 "
                        + "migration_scan_interval 500 migration_scan_count 16");
    }

    @Test
    void specExampleSetReplListsMastersThenReplicas() {
        // the replica first in the view: masters still come first on the wire
        ProxyView p = fourNodeProxy();
        ProxyView reversed = new ProxyView(p.clusterName(), p.address(), p.epoch(), List.of(p.nodes().get(1), p.nodes().get(0)),
                p.peers(), p.clusterConfig());
        String expected = "UMCTL SETREPL 3 NOFLAG master mycluster 127.0.0.1:7001 1 127.0.0.1:7004 127.0.0.1:6002 "
                + "replica mycluster 127.0.0.1:7002 1 127.0.0.1:7003 127.0.0.1:6002";
        assertThat(String.join(" ", ProxyMetaCommands.setRepl(p))).isEqualTo(expected);
        assertThat(String.join(" ", ProxyMetaCommands.setRepl(reversed))).isEqualTo(expected);
    }

    @Test
    void freeProxyGetsEmptyClusterNameAndFreeMasters() {
        ProxyView free = freeProxy("127.0.0.1:6003", 7, "127.0.0.1:7005", "127.0.0.1:7006");
        assertThat(ProxyMetaCommands.setCluster(free, false)).isEqualTo(
                concat(List.of("UMCTL", "SETCLUSTER", "v2", "7", "NOFLAG", ""), DEFAULT_CONFIG));
        assertThat(ProxyMetaCommands.setRepl(free)).containsExactly("UMCTL", "SETREPL", "7", "NOFLAG",
                "master", "", "127.0.0.1:7005", "0", "master", "", "127.0.0.1:7006", "0");
    }

    @Test
    void freeProxyCompressedHasNoLocalNodes() throws UmctlParseException {
        ProxyView free = freeProxy("127.0.0.1:6003", 7, "127.0.0.1:7005", "127.0.0.1:7006");
        List<String> cmd = ProxyMetaCommands.setCluster(free, true);
        assertThat(cmd.subList(0, 5)).containsExactly("UMCTL", "SETCLUSTER", "v2", "7", "COMPRESS");
        SetClusterArgs parsed = SetClusterArgs.parseStrings(cmd.subList(2, cmd.size()));
        assertThat(parsed.clusterName()).isEmpty();
        assertThat(parsed.local()).isEmpty();
        assertThat(parsed.peer()).isEmpty();
        assertThat(parsed.clusterConfig()).isEqualTo(ClusterConfig.DEFAULT);
    }

    @Test
    void specExampleMigratingLocalPart() {
        MigrationMeta m = meta(9, "127.0.0.1:6001", "127.0.0.1:7001", "127.0.0.1:6003", "127.0.0.1:7005");
        ProxyView p = clusterProxy("mycluster", "127.0.0.1:6001", 9,
                List.of(master("127.0.0.1:7001", "127.0.0.1:6001", List.of(stable(0, 4095), migrating(4096, 8191, m)),
                        "127.0.0.1:7004", "127.0.0.1:6002")),
                List.of(peer("127.0.0.1:6003", importing(4096, 8191, m))));
        String text = String.join(" ", ProxyMetaCommands.setCluster(p, false));
        assertThat(text).startsWith("UMCTL SETCLUSTER v2 9 NOFLAG mycluster 127.0.0.1:7001 1 0-4095 127.0.0.1:7001 MIGRATING 1 "
                + "4096-8191 9 127.0.0.1:6001 127.0.0.1:7001 127.0.0.1:6003 127.0.0.1:7005 PEER 127.0.0.1:6003 IMPORTING 1 "
                + "4096-8191 9 127.0.0.1:6001 127.0.0.1:7001 127.0.0.1:6003 127.0.0.1:7005 CONFIG ");
    }

    @Test
    void onlyMastersAreLocalAndEmptyListsAppearOnlyWhenCompressed() throws UmctlParseException {
        // a chunk being filled: this proxy's master has no slots yet, its peer has some, one peer none
        ProxyView p = clusterProxy("mycluster", "127.0.0.1:6003", 12,
                List.of(master("127.0.0.1:7005", "127.0.0.1:6003", List.of(), "127.0.0.1:7008", "127.0.0.1:6004"),
                        replica("127.0.0.1:7006", "127.0.0.1:6003", "127.0.0.1:7007", "127.0.0.1:6004")),
                List.of(peer("127.0.0.1:6001", stable(0, 8191)), peer("127.0.0.1:6004")));
        assertThat(ProxyMetaCommands.setCluster(p, false)).isEqualTo(concat(
                List.of("UMCTL", "SETCLUSTER", "v2", "12", "NOFLAG", "mycluster", "PEER", "127.0.0.1:6001", "1", "0-8191"),
                DEFAULT_CONFIG));
        List<String> compressed = ProxyMetaCommands.setCluster(p, true);
        assertThat(compressed).hasSize(6);
        assertThat(compressed.subList(0, 5)).containsExactly("UMCTL", "SETCLUSTER", "v2", "12", "COMPRESS");
        SetClusterArgs parsed = SetClusterArgs.parseStrings(compressed.subList(2, 6));
        assertThat(parsed.epoch()).isEqualTo(12);
        assertThat(parsed.clusterName()).isEqualTo("mycluster");
        assertThat(parsed.local()).isEqualTo(Map.of("127.0.0.1:7005", List.<SlotRange>of()));
        assertThat(parsed.peer()).isEqualTo(Map.of("127.0.0.1:6001", List.of(stable(0, 8191)), "127.0.0.1:6004", List.of()));
    }

    @Test
    void compressedAndPlainFormsCarryTheSameMetadata() throws UmctlParseException {
        ProxyView p = fourNodeProxy();
        List<String> pl = ProxyMetaCommands.setCluster(p, false);
        SetClusterArgs plain = SetClusterArgs.parseStrings(pl.subList(2, pl.size()));
        List<String> c = ProxyMetaCommands.setCluster(p, true);
        SetClusterArgs compressed = SetClusterArgs.parseStrings(c.subList(2, c.size()));
        assertThat(compressed.local()).isEqualTo(plain.local());
        assertThat(compressed.peer()).isEqualTo(plain.peer());
        assertThat(compressed.clusterConfig()).isEqualTo(plain.clusterConfig());
    }

    @Test
    void theClusterConfigOfTheViewIsSent() {
        ClusterConfig config = new ClusterConfig(CompressionStrategy.SET_GET_ONLY, ClusterConfig.DEFAULT.migrationConfig());
        ProxyView p = fourNodeProxy();
        ProxyView withConfig = new ProxyView(p.clusterName(), p.address(), p.epoch(), p.nodes(), p.peers(), config);
        assertThat(ProxyMetaCommands.setCluster(withConfig, false)).containsSequence("compression_strategy", "set_get_only");
    }
}
