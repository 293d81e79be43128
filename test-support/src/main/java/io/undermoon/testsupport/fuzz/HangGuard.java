package io.undermoon.testsupport.fuzz;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs each fuzz try on a reusable worker thread with a deadline, so that an input that makes the
 * code under test loop forever fails the property (with the worker's stack) instead of hanging the
 * build. One guard per property; {@link #close()} stops its thread.
 *
 * <p>A try that times out leaves its thread spinning (Java cannot stop it); the guard starts a new
 * worker for the next try, and the property has failed anyway.
 */
public final class HangGuard implements AutoCloseable {
    private final String name;
    private final Duration timeout;
    private final AtomicReference<Thread> thread = new AtomicReference<>();
    private ExecutorService worker;

    public HangGuard(String name, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
        this.worker = newWorker();
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-" + name);
            t.setDaemon(true);
            thread.set(t);
            return t;
        });
    }

    @FunctionalInterface
    public interface Work<T> {
        T run() throws Exception;
    }

    /**
     * The result of {@code work}, or what it threw (unchanged). Fails with an {@link AssertionError}
     * naming {@code input} when it takes longer than the timeout.
     */
    public <T> T call(Object input, Work<T> work) throws Exception {
        Callable<T> task = work::run;
        Future<T> f = worker.submit(task);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } catch (TimeoutException e) {
            Thread stuck = thread.get();
            String stack = stuck == null ? "?" : Arrays.stream(stuck.getStackTrace()).limit(30)
                    .map(s -> "\tat " + s).collect(Collectors.joining("\n"));
            worker.shutdownNow();
            worker = newWorker();
            throw new AssertionError("hang: no result within " + timeout.toMillis() + " ms for input " + describe(input)
                    + "\n" + stack);
        }
    }

    /** Like {@link #call} for work without a result. */
    public void run(Object input, Work<?> work) throws Exception {
        call(input, work);
    }

    private static String describe(Object input) {
        String s = input instanceof byte[] b ? Printable.bytes(b, 400) : String.valueOf(input);
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
