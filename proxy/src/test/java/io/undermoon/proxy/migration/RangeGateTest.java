package io.undermoon.proxy.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The gate of a migrating range: what the event loops may do in each mode, and the drain signal. */
class RangeGateTest {
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final AtomicInteger heldCount = new AtomicInteger();
    private final RangeGate<String> gate = new RangeGate<>(RangeGate.Mode.LOCAL, released::add, heldCount::incrementAndGet);

    @Test
    void servesLocallyOnlyInLocalModeAndCountsWhatRuns() {
        assertThat(gate.enter()).isTrue();
        assertThat(gate.enter()).isTrue();
        assertThat(gate.inFlight()).isEqualTo(2);
        gate.setMode(RangeGate.Mode.HOLD);
        assertThat(gate.enter()).as("held range").isFalse();
        gate.setMode(RangeGate.Mode.REMOTE);
        assertThat(gate.enter()).as("switched range").isFalse();
        assertThat(gate.inFlight()).as("a refused command leaves no count").isEqualTo(2);
        gate.exit();
        gate.exit();
        assertThat(gate.inFlight()).isZero();
    }

    @Test
    void holdsOnlyWhileHoldingAndReleasesInArrivalOrder() {
        assertThat(gate.hold("early")).as("served locally: nothing to hold").isFalse();
        gate.setMode(RangeGate.Mode.HOLD);
        assertThat(gate.hold("a")).isTrue();
        assertThat(gate.hold("b")).isTrue();
        assertThat(released).isEmpty();
        gate.setMode(RangeGate.Mode.REMOTE);
        gate.releaseHeld();
        assertThat(released).containsExactly("a", "b");
        assertThat(heldCount).hasValue(2);
        assertThat(gate.hold("late")).as("switched: the router redirects instead").isFalse();
    }

    @Test
    void aCommandHeldWhileTheModeChangesIsReleasedByItsOwnHold() {
        // the task's release ran before this command was queued: hold sees the new mode and releases it itself
        RangeGate<String> racing = new RangeGate<>(RangeGate.Mode.HOLD, released::add, () -> {
        });
        racing.setMode(RangeGate.Mode.REMOTE);
        racing.releaseHeld();
        assertThat(racing.hold("x")).isFalse();
        assertThat(released).isEmpty();
    }

    @Test
    void theLastReplyWakesTheWaitingTaskAtOnce() throws Exception {
        gate.enter();
        gate.setMode(RangeGate.Mode.HOLD);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            gate.exit(); // an event loop got the last reply
        });
        long t0 = System.nanoTime();
        assertThat(gate.awaitDrained(deadline, MigrationClock.SYSTEM)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("woken by the reply, not by the deadline")
                .isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void givesUpAtTheDeadlineWithACommandStillInFlight() throws Exception {
        SteppingClock clock = new SteppingClock();
        gate.enter();
        gate.setMode(RangeGate.Mode.HOLD);
        long deadline = clock.nanoTime() + 1_000_000;
        clock.advance(2_000_000);
        assertThat(gate.awaitDrained(deadline, clock)).isFalse();
        gate.exit();
        assertThat(gate.awaitDrained(clock.nanoTime() - 1, clock)).as("nothing in flight: no wait").isTrue();
    }

    @Test
    void anInterruptedWaitThrows() {
        gate.enter();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> gate.awaitDrained(System.nanoTime() + TimeUnit.SECONDS.toNanos(30), MigrationClock.SYSTEM))
                .isInstanceOf(InterruptedException.class);
    }
}
