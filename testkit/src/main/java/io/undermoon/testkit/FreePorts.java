package io.undermoon.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out loopback ports that are free right now. Ports are probed from a per-JVM window that
 * moves forward, so two fixtures in one JVM never get the same port even before either binds.
 */
public final class FreePorts {
    private static final int LOW = 20000;
    private static final int HIGH = 60000;
    private static final AtomicInteger NEXT =
            new AtomicInteger(LOW + (int) ((ProcessHandle.current().pid() * 7919L) % (HIGH - LOW)));

    private FreePorts() {}

    public static int next() {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            int port = NEXT.getAndIncrement();
            if (port >= HIGH) {
                NEXT.set(LOW);
                continue;
            }
            // redis-server uses port+10000 for its cluster bus only in cluster mode; we keep clear anyway
            if (isFree(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port found");
    }

    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
