package io.undermoon.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out loopback ports that are free right now. Ports are probed from a per-JVM window that
 * moves forward, so two fixtures in one JVM never get the same port even before either binds.
 *
 * <p>The window stays below the kernel's ephemeral port range when it can: a connection to a
 * local port in that range on which nothing listens (a killed server) can get that very port as its
 * source port and connect to itself, and the client then reads its own request back as the reply
 * (found by the chaos harness: a cluster client took its echoed {@code CLUSTER SLOTS} for the
 * topology). Outside the range that cannot happen.
 */
public final class FreePorts {
    private static final int LOW = 20000;
    private static final int HIGH = highEnd(Path.of("/proc/sys/net/ipv4/ip_local_port_range"));
    private static final AtomicInteger NEXT =
            new AtomicInteger(LOW + (int) ((ProcessHandle.current().pid() * 7919L) % (HIGH - LOW)));

    private FreePorts() {}

    /**
     * The end (exclusive) of the window: the start of the ephemeral range if that leaves at least
     * 4000 ports above {@value #LOW}, else 60000 (no such file, or an unusual range).
     */
    static int highEnd(Path ephemeralRange) {
        try {
            // readAllLines, not readString: procfs files report size 0 and readString stops short
            String[] parts = Files.readAllLines(ephemeralRange).getFirst().strip().split("\\s+");
            int ephemeralLow = Integer.parseInt(parts[0]);
            if (ephemeralLow - LOW >= 4000) {
                return Math.min(ephemeralLow, 60000);
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: use the wide window
        }
        return 60000;
    }

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
