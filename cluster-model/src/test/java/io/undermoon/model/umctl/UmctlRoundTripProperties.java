package io.undermoon.model.umctl;

import static io.undermoon.model.umctl.Tokens.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.SlotRange;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every valid value survives its wire forms unchanged. */
class UmctlRoundTripProperties {

    /** What the plain form can carry: no COMPRESS flag, no addresses with empty lists, no warning. */
    static SetClusterArgs plainImage(SetClusterArgs args) {
        return new SetClusterArgs(args.epoch(), args.flags().withCompress(false), args.clusterName(),
                withoutEmptyLists(args.local()), withoutEmptyLists(args.peer()), args.clusterConfig(), false);
    }

    private static Map<String, List<SlotRange>> withoutEmptyLists(Map<String, List<SlotRange>> nodes) {
        Map<String, List<SlotRange>> out = new TreeMap<>(nodes);
        out.values().removeIf(List::isEmpty);
        return out;
    }

    @Property(tries = 300)
    void setClusterPlainFormRoundTrips(@ForAll("setCluster") SetClusterArgs args) throws Exception {
        List<String> tokens = args.toTokens();

        assertThat(SetClusterArgs.parseStrings(tokens)).isEqualTo(plainImage(args));
        assertThat(SetClusterArgs.parse(bytes(tokens))).isEqualTo(plainImage(args));
        assertThat(SetClusterArgs.parseStrings(tokens).toTokens()).isEqualTo(tokens);
    }

    @Property(tries = 200)
    void setClusterCompressedFormRoundTrips(@ForAll("setCluster") SetClusterArgs args) throws Exception {
        List<String> tokens = args.toCompressedTokens();

        assertThat(tokens).hasSize(4);
        assertThat(SetClusterArgs.parse(bytes(tokens))).isEqualTo(args.withFlags(args.flags().withCompress(true)));
    }

    @Property(tries = 300)
    void setReplRoundTrips(@ForAll("setRepl") SetReplArgs args) throws Exception {
        assertThat(SetReplArgs.parse(bytes(args.toTokens()))).isEqualTo(args);
    }

    @Property(tries = 300)
    void migrationTaskTextAndSwitchArgsRoundTrip(@ForAll("task") MigrationTask task) throws Exception {
        assertThat(MigrationTask.parse(task.toText())).isEqualTo(task);
        assertThat(MigrationTask.parse(task.toText().getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(task);
        SwitchArgs args = SwitchArgs.of(task);
        assertThat(SwitchArgs.parse(bytes(args.toTokens()))).isEqualTo(args);
        assertThat(task.asImporting().asMigrating()).isEqualTo(task.asMigrating());
    }

    @Provide
    net.jqwik.api.Arbitrary<SetClusterArgs> setCluster() {
        return UmctlArbitraries.setClusterArgs();
    }

    @Provide
    Arbitrary<SetReplArgs> setRepl() {
        return UmctlArbitraries.setReplArgs();
    }

    @Provide
    Arbitrary<MigrationTask> task() {
        return UmctlArbitraries.migrationTasks();
    }
}
