package io.undermoon.testsupport.fuzz;

import java.lang.management.ManagementFactory;

/** Heap bytes the current thread allocates while running some work (HotSpot's per-thread counter). */
public final class Allocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {}

    @FunctionalInterface
    public interface Work {
        void run() throws Exception;
    }

    /** Bytes allocated by this thread during {@code work}. */
    public static long measure(Work work) throws Exception {
        long id = Thread.currentThread().threadId();
        long before = THREADS.getThreadAllocatedBytes(id);
        work.run();
        return THREADS.getThreadAllocatedBytes(id) - before;
    }
}
