package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.SlotHash;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LossClassifierTest {
    private static final int SLOT_OF_N1 = 100;
    private static final int SLOT_OF_N3 = 9000;
    private static final long W = 2000;

    private final ClusterHistory history = new ClusterHistory();

    LossClassifierTest() {
        history.recordLayout(0, ClusterLayout.of(Layouts.normal(1)));
        history.recordSingleCopy(0, "c", new BitSet(SlotHash.SLOT_NUM));
    }

    private static KillEvent killOfP1(long at) {
        return new KillEvent(at, FaultKind.PROXY_RESTART, "p1", Set.of("n1", "n2"));
    }

    private static ReadVerdict.LostWrite write(long ack) {
        return new ReadVerdict.LostWrite(ack - 5, ack);
    }

    @Test
    void aWriteAcknowledgedJustBeforeItsMasterDiedIsInsideTheWindow() {
        LossClassifier c = new LossClassifier(history, List.of(killOfP1(10_000)), W);
        assertThat(c.insideWindow("c", SLOT_OF_N1, write(9_000), 12_000)).isTrue();
        assertThat(c.insideWindow("c", SLOT_OF_N1, write(10_000 - W), 12_000)).isTrue();
    }

    @Test
    void anOlderWriteOfAReplicatedMasterIsNot() {
        LossClassifier c = new LossClassifier(history, List.of(killOfP1(10_000)), W);
        assertThat(c.insideWindow("c", SLOT_OF_N1, write(10_000 - W - 1), 12_000)).isFalse();
    }

    @Test
    void anyWriteOfASingleCopySlotIsInsideTheWindow() {
        BitSet single = new BitSet(SlotHash.SLOT_NUM);
        single.set(0, 8192);
        history.recordSingleCopy(9_500, "c", single);
        LossClassifier c = new LossClassifier(history, List.of(killOfP1(10_000)), W);
        assertThat(c.classify("c", SLOT_OF_N1, write(1_000), 12_000)).isEqualTo(LossClassifier.Verdict.SINGLE_COPY);
        assertThat(c.classify("c", SLOT_OF_N1, write(9_000), 12_000)).isEqualTo(LossClassifier.Verdict.REPLICATION_LAG);
        // a single copy long before the kill, replicated again since, does not count
        history.recordSingleCopy(9_600, "c", new BitSet(SlotHash.SLOT_NUM));
        LossClassifier later = new LossClassifier(history, List.of(killOfP1(20_000)), W);
        assertThat(later.insideWindow("c", SLOT_OF_N1, write(1_000), 22_000)).isFalse();
    }

    @Test
    void aSecondFailureWhileTheSurvivorHasNoReplicaLosesOldWritesByDesign() {
        // p1 dies, p2 takes both masters without replicas; then p2 dies too
        history.recordLayout(10_300, ClusterLayout.of(Layouts.afterFailoverOfP1(2)));
        BitSet all = new BitSet(SlotHash.SLOT_NUM);
        all.set(0, SlotHash.SLOT_NUM);
        history.recordSingleCopy(10_300, "c", all);
        KillEvent p2 = new KillEvent(13_000, FaultKind.PROXY_RESTART, "p2", Set.of("n3", "n4"));
        LossClassifier c = new LossClassifier(history, List.of(killOfP1(10_000), p2), W);
        assertThat(c.insideWindow("c", SLOT_OF_N1, write(500), 15_000)).isTrue();
        assertThat(c.insideWindow("c", SLOT_OF_N3, write(500), 15_000)).isTrue();
    }

    @Test
    void killsOfOtherMastersOrAtOtherTimesExplainNothing() {
        KillEvent p2 = new KillEvent(10_000, FaultKind.PROXY_RESTART, "p2", Set.of("n3", "n4"));
        LossClassifier c = new LossClassifier(history, List.of(p2), W);
        assertThat(c.insideWindow("c", SLOT_OF_N1, write(9_900), 12_000)).as("another master's slot").isFalse();
        LossClassifier early = new LossClassifier(history, List.of(killOfP1(8_000)), W);
        assertThat(early.insideWindow("c", SLOT_OF_N1, write(9_000), 12_000)).as("kill before the write").isFalse();
        LossClassifier late = new LossClassifier(history, List.of(killOfP1(13_000)), W);
        assertThat(late.insideWindow("c", SLOT_OF_N1, write(12_000), 12_500)).as("kill after the read").isFalse();
        assertThat(early.insideWindow("other", SLOT_OF_N1, write(7_900), 12_000)).as("another cluster").isFalse();
    }
}
