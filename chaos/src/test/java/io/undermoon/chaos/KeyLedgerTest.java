package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class KeyLedgerTest {

    private static int ackedSet(KeyLedger l, long t) {
        int n = l.beginSet(t - 1);
        l.acknowledge(n, t);
        return n;
    }

    private static int ackedDelete(KeyLedger l, long t) {
        int n = l.beginDelete(t - 1);
        l.acknowledge(n, t);
        return n;
    }

    /** Writes acknowledged at these times, each sent 1 ms before. */
    private static List<ReadVerdict.LostWrite> writes(long... acks) {
        List<ReadVerdict.LostWrite> out = new java.util.ArrayList<>();
        for (long a : acks) {
            out.add(new ReadVerdict.LostWrite(a - 1, a));
        }
        return out;
    }

    @Test
    void aNewKeyIsAbsentAndTheLastAcknowledgedValueIsExpected() {
        KeyLedger l = new KeyLedger();
        assertThat(l.observeAbsent(1)).isInstanceOf(ReadVerdict.Expected.class);
        int a = ackedSet(l, 10);
        int b = ackedSet(l, 20);
        assertThat(l.observeValue(b, 30)).isInstanceOf(ReadVerdict.Expected.class);
        ackedDelete(l, 40);
        assertThat(l.observeAbsent(50)).isInstanceOf(ReadVerdict.Expected.class);
        assertThat(a).isEqualTo(1);
    }

    @Test
    void anOlderAcknowledgedValueMeansTheLaterWritesWereLost() {
        KeyLedger l = new KeyLedger();
        int a = ackedSet(l, 10);
        ackedSet(l, 20);
        ackedSet(l, 30);
        assertThat(l.observeValue(a, 40)).isEqualTo(new ReadVerdict.Lost(writes(20, 30), false));
        // the loss is counted once: the ledger now expects what it saw
        assertThat(l.observeValue(a, 41)).isInstanceOf(ReadVerdict.Expected.class);
        int d = ackedSet(l, 50);
        assertThat(l.observeValue(d, 60)).isInstanceOf(ReadVerdict.Expected.class);
    }

    @Test
    void aVanishedKeyLosesEveryAcknowledgedWriteSinceItWasLastAbsent() {
        KeyLedger l = new KeyLedger();
        ackedSet(l, 10);
        ackedDelete(l, 20);
        ackedSet(l, 30);
        ackedSet(l, 40);
        assertThat(l.observeAbsent(50)).isEqualTo(new ReadVerdict.Lost(writes(30, 40), false));
    }

    @Test
    void aDeletedKeyThatComesBackIsResurrected() {
        KeyLedger l = new KeyLedger();
        int a = ackedSet(l, 10);
        ackedDelete(l, 20);
        assertThat(l.observeValue(a, 30)).isEqualTo(new ReadVerdict.Lost(writes(20), true));
    }

    @Test
    void aWriteInDoubtMayShowAndThenCountsAsAcknowledgedAtTheRead() {
        KeyLedger l = new KeyLedger();
        int a = ackedSet(l, 10);
        int b = l.beginSet(0);
        l.doubt(b);
        assertThat(l.observeValue(b, 25)).isInstanceOf(ReadVerdict.InDoubtApplied.class);
        assertThat(l.observeValue(a, 30)).isEqualTo(new ReadVerdict.Lost(List.of(new ReadVerdict.LostWrite(0, 25)), false));
    }

    @Test
    void aWriteInDoubtMayAlsoNotHaveHappened() {
        KeyLedger l = new KeyLedger();
        int a = ackedSet(l, 10);
        int b = l.beginSet(0);
        l.doubt(b);
        int c = l.beginDelete(0);
        l.doubt(c);
        assertThat(l.observeValue(a, 20)).isInstanceOf(ReadVerdict.Expected.class);
        assertThat(l.observeAbsent(30)).isInstanceOf(ReadVerdict.InDoubtApplied.class);
        assertThat(b).isEqualTo(2);
    }

    @Test
    void anInDoubtValueOlderThanAnAcknowledgedWriteIsAmbiguousNotLost() {
        KeyLedger l = new KeyLedger();
        int a = l.beginSet(0);
        l.doubt(a);
        ackedSet(l, 20);
        assertThat(l.observeValue(a, 30)).isInstanceOf(ReadVerdict.Ambiguous.class);
        // the ambiguous state is the new baseline
        assertThat(l.observeValue(a, 31)).isInstanceOf(ReadVerdict.Expected.class);
    }

    @Test
    void absenceAfterAnInDoubtDeleteFollowedByAnAcknowledgedSetIsAmbiguous() {
        KeyLedger l = new KeyLedger();
        ackedSet(l, 10);
        int d = l.beginDelete(0);
        l.doubt(d);
        ackedSet(l, 30);
        assertThat(l.observeAbsent(40)).isInstanceOf(ReadVerdict.Ambiguous.class);
    }

    @Test
    void valuesNeverWrittenToTheKeyAreWrong() {
        KeyLedger l = new KeyLedger();
        ackedSet(l, 10);
        int d = ackedDelete(l, 20);
        assertThat(l.observeValue(7, 30)).isInstanceOf(ReadVerdict.Wrong.class);
        assertThat(l.observeValue(0, 30)).isInstanceOf(ReadVerdict.Wrong.class);
        assertThat(l.observeValue(d, 30)).isInstanceOf(ReadVerdict.Wrong.class);
        // a wrong read does not move the expectation
        assertThat(l.observeAbsent(40)).isInstanceOf(ReadVerdict.Expected.class);
    }

    @Test
    void aSecondLossAfterARollbackCountsOnlyWhatWasAcknowledgedSince() {
        KeyLedger l = new KeyLedger();
        int a = ackedSet(l, 10);
        int b = ackedSet(l, 20);
        ackedSet(l, 30);
        assertThat(l.observeValue(b, 40)).isEqualTo(new ReadVerdict.Lost(writes(30), false));
        ackedSet(l, 50);
        ackedSet(l, 60);
        assertThat(l.observeValue(b, 70)).isEqualTo(new ReadVerdict.Lost(writes(50, 60), false));
        // going back past the baseline loses the baseline (as seen at 70) too
        assertThat(l.observeValue(a, 80)).isEqualTo(new ReadVerdict.Lost(List.of(new ReadVerdict.LostWrite(70, 70)), false));
    }

    @Test
    void anEarlierRolledBackWriteThatReappearsIsAmbiguous() {
        KeyLedger l = new KeyLedger();
        int a = ackedSet(l, 10);
        int b = ackedSet(l, 20);
        assertThat(l.observeValue(a, 30)).isInstanceOf(ReadVerdict.Lost.class);
        assertThat(l.observeValue(b, 40)).isInstanceOf(ReadVerdict.Ambiguous.class);
    }

    @Test
    void everyWriteNeedsAnOutcomeBeforeTheNext() {
        KeyLedger l = new KeyLedger();
        int a = l.beginSet(0);
        assertThatThrownBy(() -> l.beginSet(1)).isInstanceOf(IllegalStateException.class);
        l.acknowledge(a, 1);
        assertThatThrownBy(() -> l.acknowledge(a, 2)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> l.doubt(a)).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A correct store (a register that applies every acknowledged write, and each write in doubt
     * either at once or never) never produces a lost, ambiguous or wrong verdict.
     */
    @Property(tries = 300)
    void aCorrectStoreNeverLosesOrCorruptsAnything(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int steps) {
        Random rnd = new Random(seed);
        KeyLedger l = new KeyLedger();
        int stored = 0; // 0 = absent, else the write number of the stored value
        for (int t = 1; t <= steps; t++) {
            int op = rnd.nextInt(10);
            if (op < 6) {
                boolean isSet = op < 4;
                int n = isSet ? l.beginSet(0) : l.beginDelete(0);
                boolean applied = rnd.nextInt(4) != 0;
                if (applied) {
                    stored = isSet ? n : 0;
                }
                if (applied && rnd.nextInt(5) != 0) {
                    l.acknowledge(n, t);
                } else {
                    l.doubt(n);
                }
            } else {
                ReadVerdict v = stored == 0 ? l.observeAbsent(t) : l.observeValue(stored, t);
                assertThat(v).isInstanceOfAny(ReadVerdict.Expected.class, ReadVerdict.InDoubtApplied.class);
            }
        }
    }

    /** A store that forgets recent writes is caught: every loss names at least one acknowledged write. */
    @Property(tries = 200)
    void aStoreThatRollsBackIsCaught(@ForAll long seed) {
        Random rnd = new Random(seed);
        KeyLedger l = new KeyLedger();
        int first = l.beginSet(0);
        l.acknowledge(first, 1);
        int writes = 1 + rnd.nextInt(20);
        for (int i = 0; i < writes; i++) {
            l.acknowledge(rnd.nextBoolean() ? l.beginSet(0) : l.beginDelete(0), 2 + i);
        }
        ReadVerdict v = l.observeValue(first, 100);
        assertThat(v).isInstanceOf(ReadVerdict.Lost.class);
        assertThat(((ReadVerdict.Lost) v).writes()).hasSize(writes);
    }
}
