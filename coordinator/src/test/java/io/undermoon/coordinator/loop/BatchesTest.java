package io.undermoon.coordinator.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatchesTest {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    @Test
    void aBatchStartsOnlyAfterThePreviousOneFinished() throws InterruptedException {
        List<Integer> items = IntStream.range(0, 25).boxed().toList();
        AtomicInteger clock = new AtomicInteger();
        ConcurrentHashMap<Integer, int[]> times = new ConcurrentHashMap<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<RoundError> errors = Batches.run(executor, items, 10, i -> {
            int start = clock.incrementAndGet();
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(5);
            running.decrementAndGet();
            times.put(i, new int[] {start, clock.incrementAndGet()});
            return i % 7 == 0 ? List.of(new RoundError("k" + i, "e" + i)) : List.of();
        });
        assertThat(maxRunning.get()).isBetween(1, 10);
        for (int b = 1; b < 3; b++) {
            int batchStart = b * 10;
            int latestEndBefore = IntStream.range(batchStart - 10, batchStart).map(i -> times.get(i)[1]).max().orElseThrow();
            int earliestStart = IntStream.range(batchStart, Math.min(25, batchStart + 10)).map(i -> times.get(i)[0]).min()
                    .orElseThrow();
            assertThat(earliestStart).isGreaterThan(latestEndBefore);
        }
        assertThat(errors).extracting(RoundError::key).containsExactly("k0", "k7", "k14", "k21");
    }

    @Test
    void anExceptionBecomesAnErrorOfItsItem() throws InterruptedException {
        List<RoundError> errors = Batches.run(executor, List.of("a", "b"), 10, s -> {
            if (s.equals("b")) {
                throw new IllegalStateException("boom");
            }
            return new ArrayList<>();
        });
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.key()).isEqualTo("b");
            assertThat(e.message()).contains("boom");
        });
    }
    @Test
    void concurrentlyASlowItemHoldsOneSlotNotTheOthers() throws InterruptedException {
        List<Integer> items = IntStream.range(0, 40).boxed().toList();
        java.util.concurrent.CountDownLatch othersDone = new java.util.concurrent.CountDownLatch(39);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<RoundError> errors = Batches.runConcurrently(executor, items, 10, i -> {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (i == 0) {
                    // the slow one: every other item finishes while it runs
                    assertThat(othersDone.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                } else {
                    Thread.sleep(2);
                    othersDone.countDown();
                }
            } finally {
                running.decrementAndGet();
            }
            return i % 13 == 0 ? List.of(new RoundError("k" + i, "e" + i)) : List.of();
        });
        assertThat(maxRunning.get()).isBetween(2, 10);
        assertThat(errors).extracting(RoundError::key).containsExactly("k0", "k13", "k26", "k39");
    }
}
