package io.undermoon.coordinator.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs a task for each item, {@code size} items at a time concurrently: a batch starts only when
 * the previous one has finished, as in the reference (this is what keeps "importing proxies first"
 * meaningful). Tasks report problems through their result; an exception a task throws becomes a
 * {@link RoundError} for its item.
 */
public final class Batches {
    private Batches() {}

    /** A task for one item, returning its problems. */
    @FunctionalInterface
    public interface Task<T> {
        List<RoundError> run(T item) throws InterruptedException;
    }

    /**
     * Runs a task for every item with at most {@code limit} running at once, each item starting as
     * soon as a slot is free (ours): unlike {@link #run}, a slow item holds one slot, not a whole
     * batch. For rounds without an order between items (failure detection, replica states).
     */
    public static <T> List<RoundError> runConcurrently(ExecutorService executor, List<T> items, int limit, Task<T> task)
            throws InterruptedException {
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(limit);
        List<Future<List<RoundError>>> futures = new ArrayList<>(items.size());
        List<RoundError> errors = new ArrayList<>();
        try {
            for (T item : items) {
                slots.acquire();
                try {
                    futures.add(executor.submit(() -> {
                        try {
                            return task.run(item);
                        } finally {
                            slots.release();
                        }
                    }));
                } catch (RuntimeException e) {
                    slots.release();
                    throw e;
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    errors.addAll(futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause() == null ? e : e.getCause();
                    if (c instanceof InterruptedException) {
                        throw (InterruptedException) c;
                    }
                    errors.add(new RoundError(String.valueOf(items.get(i)), "unexpected error for " + items.get(i) + ": " + c));
                }
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        }
        return errors;
    }

    public static <T> List<RoundError> run(ExecutorService executor, List<T> items, int size, Task<T> task)
            throws InterruptedException {
        List<RoundError> errors = new ArrayList<>();
        for (int from = 0; from < items.size(); from += size) {
            List<T> batch = items.subList(from, Math.min(items.size(), from + size));
            List<Future<List<RoundError>>> futures = new ArrayList<>(batch.size());
            try {
                for (T item : batch) {
                    futures.add(executor.submit(() -> task.run(item)));
                }
                for (int i = 0; i < futures.size(); i++) {
                    try {
                        errors.addAll(futures.get(i).get());
                    } catch (ExecutionException e) {
                        Throwable c = e.getCause() == null ? e : e.getCause();
                        if (c instanceof InterruptedException) {
                            throw (InterruptedException) c;
                        }
                        errors.add(new RoundError(String.valueOf(batch.get(i)), "unexpected error for " + batch.get(i)
                                + ": " + c));
                    }
                }
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                throw e;
            }
        }
        return errors;
    }
}
