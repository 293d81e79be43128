package io.undermoon.coordinator.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundLoopTest {
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final ErrorLog errors = new ErrorLog("test", new ErrorLog.Sink() {
        @Override
        public void warn(String line) {
            logged.add(line);
        }

        @Override
        public void info(String line) {
            logged.add(line);
        }
    }, System::nanoTime, Duration.ofMinutes(1));

    /** Records every pause and returns at once, so the rounds run back to back without sleeping. */
    private static final class RecordingPacer implements Pacer {
        final List<Duration> pauses = new CopyOnWriteArrayList<>();

        @Override
        public void pause(Duration interval, Semaphore wakeups) {
            pauses.add(interval);
        }
    }

    @Test
    void everyRoundIsFollowedByAPauseEvenWhenItFails() throws Exception {
        RecordingPacer pacer = new RecordingPacer();
        AtomicInteger rounds = new AtomicInteger();
        Round failing = () -> {
            rounds.incrementAndGet();
            throw new IllegalStateException("bug");
        };
        try (RoundLoop loop = new RoundLoop("t", failing, Duration.ofMillis(250), pacer, errors, System::nanoTime)) {
            loop.start();
            await().until(() -> loop.rounds() >= 20);
        }
        assertThat(pacer.pauses.size()).isGreaterThanOrEqualTo(rounds.get() - 1);
        assertThat(pacer.pauses).containsOnly(Duration.ofMillis(250));
        assertThat(logged).containsExactly("test: unexpected failure: java.lang.IllegalStateException: bug");
    }

    @Test
    void problemsOfTheRoundGoToTheErrorLog() throws Exception {
        RecordingPacer pacer = new RecordingPacer();
        AtomicInteger n = new AtomicInteger();
        Round round = () -> n.incrementAndGet() < 5 ? List.of(new RoundError("p", "proxy p down")) : List.of();
        try (RoundLoop loop = new RoundLoop("t", round, Duration.ofMillis(1), pacer, errors, System::nanoTime)) {
            loop.start();
            await().until(() -> loop.rounds() >= 6);
            assertThat(loop.describe()).startsWith("loop t rounds=").contains("interval_ms=1");
        }
        assertThat(logged).containsExactly("test: proxy p down", "test: p: no longer failing");
    }

    @Test
    void wakeCutsThePauseShort() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        try (RoundLoop loop = new RoundLoop("t", () -> {
            rounds.incrementAndGet();
            return List.of();
        }, Duration.ofHours(1), Pacer.REAL, errors, System::nanoTime)) {
            loop.start();
            await().until(() -> rounds.get() == 1);
            loop.wake();
            await().atMost(Duration.ofSeconds(5)).until(() -> rounds.get() == 2);
        }
    }

    @Test
    void closeInterruptsARoundInProgress() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        RoundLoop loop = new RoundLoop("t", () -> {
            entered.countDown();
            try {
                Thread.sleep(Duration.ofHours(1));
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return List.of();
        }, Duration.ofMillis(1), Pacer.REAL, errors, System::nanoTime);
        loop.start();
        assertThat(entered.await(5, TimeUnit.SECONDS)).isTrue();
        loop.close();
        assertThat(interrupted.getCount()).isZero();
    }

    @Test
    void aLoopDyingOfAnErrorIsReported() throws Exception {
        CountDownLatch died = new CountDownLatch(1);
        List<String> who = new CopyOnWriteArrayList<>();
        try (RoundLoop loop = new RoundLoop("t", () -> {
            throw new OutOfMemoryError("simulated");
        }, Duration.ofMillis(1), Pacer.REAL, errors, System::nanoTime, (name, e) -> {
            who.add(name + ": " + e.getMessage());
            died.countDown();
        })) {
            loop.start();
            assertThat(died.await(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(who).containsExactly("t: simulated");
    }

    @Test
    void theRealPacerWaitsTheIntervalWithoutWakeups() throws InterruptedException {
        Semaphore wakeups = new Semaphore(0);
        long start = System.nanoTime();
        Pacer.REAL.pause(Duration.ofMillis(50), wakeups);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(45).toNanos());
        wakeups.release(3);
        start = System.nanoTime();
        Pacer.REAL.pause(Duration.ofHours(1), wakeups);
        assertThat(wakeups.availablePermits()).isZero();
        assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(1).toNanos());
    }
}
