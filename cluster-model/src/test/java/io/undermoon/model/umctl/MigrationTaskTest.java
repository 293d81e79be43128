package io.undermoon.model.umctl;

import static io.undermoon.model.umctl.Tokens.assertFails;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.umctl.UmctlParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationTaskTest {
    private static final String INFOMGR_LINE =
            "mycluster MIGRATING 1 233-666 7799 127.0.0.1:6000 127.0.0.1:7000 127.0.0.1:6001 127.0.0.1:7001";
    private static final MigrationMeta META =
            new MigrationMeta(7799, "127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:6001", "127.0.0.1:7001");

    private static MigrationTask task(String name, SlotRangeTag tag, Range... ranges) {
        return new MigrationTask(name, new SlotRange(RangeList.of(ranges), tag));
    }

    @Test
    void infomgrLineRoundTrips() throws Exception {
        MigrationTask task = MigrationTask.parse(INFOMGR_LINE);

        assertThat(task).isEqualTo(task("mycluster", new SlotRangeTag.Migrating(META), new Range(233, 666)));
        assertThat(task.isMigrating()).isTrue();
        assertThat(task.meta()).isEqualTo(META);
        assertThat(task.toText()).isEqualTo(INFOMGR_LINE);
        assertThat(MigrationTask.parse(INFOMGR_LINE.getBytes(StandardCharsets.UTF_8))).isEqualTo(task);
    }

    @Test
    void importingLowerCaseTagAndTrailingTokens() throws Exception {
        MigrationTask task = MigrationTask.parse("db importing 2 0-10 20-30 3 p1 n1 p2 n2 extra tokens");

        assertThat(task.isImporting()).isTrue();
        assertThat(task.toText()).isEqualTo("db IMPORTING 2 0-10 20-30 3 p1 n1 p2 n2");
    }

    @Test
    void stableRangeIsItsOwnReason() {
        assertFails(Reason.StableRange, () -> MigrationTask.parse("mycluster 1 0-100"));
        assertFails(Reason.StableRange, () -> MigrationTask.parse("mycluster 1 0-100 7799 a b c d"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "mycluster", "mycluster MIGRATING", "mycluster MIGRATING 1 233-666 7799 a b c",
        "mycluster  MIGRATING 1 233-666 7799 a b c d", "mycluster MIGRATING 1 233-666 -1 a b c d",
        "mycluster MIGRATING 1 233 7799 a b c d", "mycluster MIGRATING 2 233-666 7799 a b c d",
        "mycluster MIGRATING 1 0-16384 7799 a b c d", "mycluster 1",
    })
    void malformedLinesAreInvalidArgs(String line) {
        assertFails(Reason.InvalidArgs, () -> MigrationTask.parse(line));
    }

    @Test
    void badNameOrBytes() {
        assertFails(Reason.InvalidClusterName, () -> MigrationTask.parse("my.cluster MIGRATING 1 0-1 1 a b c d"));
        assertFails(Reason.InvalidArgs, () -> MigrationTask.parse(new byte[] {'d', 'b', ' ', (byte) 0xff}));
    }

    @Test
    void identityIsNameRangesTagAndAllFiveMetaFields() {
        MigrationTask base = task("db", new SlotRangeTag.Migrating(META), new Range(0, 10), new Range(11, 20));

        assertThat(base).isEqualTo(task("db", new SlotRangeTag.Migrating(META), new Range(0, 20)));
        assertThat(base).hasSameHashCodeAs(task("db", new SlotRangeTag.Migrating(META), new Range(0, 20)));
        assertThat(new MigrationTask("db", new SlotRange(new RangeList(List.of(new Range(11, 20), new Range(0, 10))),
                new SlotRangeTag.Migrating(META)))).isEqualTo(base);
        List<MigrationTask> different = List.of(
                task("db2", new SlotRangeTag.Migrating(META), new Range(0, 20)),
                task("db", new SlotRangeTag.Migrating(META), new Range(0, 21)),
                task("db", new SlotRangeTag.Importing(META), new Range(0, 20)),
                task("db", new SlotRangeTag.Migrating(new MigrationMeta(1, META.srcProxyAddress(), META.srcNodeAddress(),
                        META.dstProxyAddress(), META.dstNodeAddress())), new Range(0, 20)),
                task("db", new SlotRangeTag.Migrating(new MigrationMeta(META.epoch(), "x", META.srcNodeAddress(),
                        META.dstProxyAddress(), META.dstNodeAddress())), new Range(0, 20)),
                task("db", new SlotRangeTag.Migrating(new MigrationMeta(META.epoch(), META.srcProxyAddress(), "x",
                        META.dstProxyAddress(), META.dstNodeAddress())), new Range(0, 20)),
                task("db", new SlotRangeTag.Migrating(new MigrationMeta(META.epoch(), META.srcProxyAddress(),
                        META.srcNodeAddress(), "x", META.dstNodeAddress())), new Range(0, 20)),
                task("db", new SlotRangeTag.Migrating(new MigrationMeta(META.epoch(), META.srcProxyAddress(),
                        META.srcNodeAddress(), META.dstProxyAddress(), "x")), new Range(0, 20)));
        assertThat(different).allSatisfy(other -> assertThat(other).isNotEqualTo(base));
    }

    @Test
    void sidesConvert() {
        MigrationTask migrating = task("db", new SlotRangeTag.Migrating(META), new Range(0, 20));
        MigrationTask importing = task("db", new SlotRangeTag.Importing(META), new Range(0, 20));

        assertThat(migrating.asImporting()).isEqualTo(importing);
        assertThat(importing.asImporting()).isSameAs(importing);
        assertThat(importing.asMigrating()).isEqualTo(migrating);
    }

    @Test
    void constructorRejectsStableRangesBadNamesAndSlots() {
        assertThatThrownBy(() -> new MigrationTask("db", SlotRange.stable(0, 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> task("bad name", new SlotRangeTag.Importing(META), new Range(0, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> task("db", new SlotRangeTag.Importing(META), new Range(0, 16384)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
