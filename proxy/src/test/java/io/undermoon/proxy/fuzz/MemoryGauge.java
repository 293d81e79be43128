package io.undermoon.proxy.fuzz;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The memory a server proxy in this JVM holds: Netty's default allocator (pooled/adaptive direct and
 * heap memory, which every proxy channel uses), the JDK's direct buffer pool, Netty's own direct
 * memory counter when it keeps one, and the heap after a full GC. Also collects the buffer leaks that
 * Netty's (paranoid, in tests) leak detector reports.
 */
final class MemoryGauge {
    private final List<String> leaks = new CopyOnWriteArrayList<>();

    record Reading(long allocatorDirect, long allocatorHeap, long jdkDirect, long nettyDirect, long heapAfterGc) {
        @Override
        public String toString() {
            return String.format("allocator direct %.1f MiB, allocator heap %.1f MiB, JDK direct %.1f MiB, Netty direct %s, "
                    + "heap after GC %.1f MiB", mib(allocatorDirect), mib(allocatorHeap), mib(jdkDirect),
                    nettyDirect < 0 ? "not counted" : String.format("%.1f MiB", mib(nettyDirect)), mib(heapAfterGc));
        }

        private static double mib(long bytes) {
            return bytes / (1024.0 * 1024.0);
        }
    }

    /** Registers a listener on the leak detector of every ByteBuf. */
    @SuppressWarnings("unchecked")
    void watchLeaks() throws ReflectiveOperationException {
        Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
        f.setAccessible(true);
        ResourceLeakDetector<ByteBuf> detector = (ResourceLeakDetector<ByteBuf>) f.get(null);
        detector.setLeakListener((type, records) -> leaks.add(type + ": " + records));
    }

    /** Leaks reported so far; call after {@link #settle()} so that unreachable buffers have been found. */
    List<String> leaks() {
        return List.copyOf(leaks);
    }

    /** Runs the GC a few times and allocates, so that the leak detector looks at what was collected. */
    void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            for (int j = 0; j < 64; j++) {
                ByteBufAllocator.DEFAULT.buffer(16).release();
            }
        }
    }

    Reading read() throws InterruptedException {
        settle();
        long allocatorDirect = -1;
        long allocatorHeap = -1;
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
            allocatorDirect = p.metric().usedDirectMemory();
            allocatorHeap = p.metric().usedHeapMemory();
        }
        long jdkDirect = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new Reading(allocatorDirect, allocatorHeap, jdkDirect, PlatformDependent.usedDirectMemory(), heap);
    }
}
