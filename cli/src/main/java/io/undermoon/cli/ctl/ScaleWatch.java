package io.undermoon.cli.ctl;

import io.undermoon.broker.overview.MigrationProgress;
import io.undermoon.model.broker.ClusterStore;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Watches a scaling cluster until it settles: every 500 ms the broker's metadata gives the slots
 * still to move (the stored migration tasks), and each proxy of the cluster its
 * {@code migrating_moved_keys} counter ({@code UMCTL STATS}); the figures shown are the slots
 * switched since the watch began and the keys moved since just before the scale call, their rates and the time left at the slot
 * rate. When a proxy cannot be reached from here the keys are shown as unknown. The cluster has
 * settled when no task is stored, it has the nodes asked for (drained chunks are removed with a
 * repeated auto-scale call, as the broker expects) and every reachable proxy of it serves the
 * cluster's epoch.
 */
final class ScaleWatch {
    private static final Duration TICK = Duration.ofMillis(500);
    private static final Duration PLAIN_EVERY = Duration.ofSeconds(5);

    private final BrokerApi api;
    private final String name;
    private final long nodes;
    private final PrintWriter out;
    private final boolean json;
    private final boolean terminal;
    private final Duration timeout;
    private final Map<String, Long> keyBaseline = new HashMap<>();
    private int lastLength;

    ScaleWatch(BrokerApi api, String name, long nodes, PrintWriter out, boolean json, boolean terminal, Duration timeout) {
        this.api = api;
        this.name = name;
        this.nodes = nodes;
        this.out = out;
        this.json = json;
        this.terminal = terminal;
        this.timeout = timeout;
    }

    /** Reads the proxies' key counters before the scale call, so that no key moved early is missed. */
    void takeBaseline(ClusterStore before) {
        for (String proxy : before.proxyAddresses()) {
            Long now = proxyMovedKeys(proxy);
            if (now != null) {
                keyBaseline.put(proxy, now);
            }
        }
    }

    int run() throws CtlException {
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread hook = new Thread(() -> {
            if (watching.get()) {
                out.println();
                out.println("stopped watching: the migration of cluster " + name + " goes on in the background "
                        + "(follow it with 'undermoon ctl status')");
                out.flush();
            }
        }, "ctl-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return watch();
        } finally {
            watching.set(false);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already stopping (Ctrl-C): the hook prints the message
            }
        }
    }

    private int watch() throws CtlException {
        long start = System.nanoTime();
        long planned = -1;
        long lastPlain = 0;
        boolean cleaned = false;
        Long keys = null;
        long remaining = 0;
        while (true) {
            MetaStore s = api.metadata();
            ClusterStore c = s.clusters().get(name);
            if (c == null) {
                throw new CtlException(ExitCodes.FAILED, "cluster " + name + " disappeared from the broker while scaling");
            }
            remaining = MigrationProgress.migratingSlots(c);
            planned = Math.max(planned, remaining);
            keys = movedKeys(c);
            double secs = (System.nanoTime() - start) / 1e9;
            long switched = planned - remaining;
            boolean settled = false;
            if (remaining == 0) {
                if (c.nodeNumber() != nodes && !cleaned) {
                    // a scale-in leaves the drained chunks; the repeated auto-scale call removes them
                    api.send("POST", "/api/v3/clusters/migrations/auto/" + name + "/" + nodes, null);
                    cleaned = true;
                } else if (c.nodeNumber() == nodes && proxiesAtEpoch(c)) {
                    settled = true;
                }
            }
            if (settled) {
                if (terminal && !json) {
                    redraw(line(planned, switched, keys, secs, remaining));
                    out.print("\n");
                }
                Map<String, Object> done = new LinkedHashMap<>();
                done.put("cluster", name);
                done.put("node_number", c.nodeNumber());
                done.put("slots_switched", switched);
                done.put("keys_moved", keys);
                done.put("seconds", Math.round(secs * 10) / 10.0);
                done.put("settled", true);
                if (json) {
                    out.println(ClusterCommand.json(done));
                } else {
                    out.println("cluster " + name + " settled at " + c.nodeNumber() + " nodes: " + switched + " slots switched, "
                            + (keys == null ? "keys moved unknown" : keys + " keys moved") + String.format(" in %.1f s", secs));
                }
                out.flush();
                return ExitCodes.OK;
            }
            if (!json) {
                if (terminal) {
                    redraw(line(planned, switched, keys, secs, remaining));
                    out.flush();
                } else if (System.nanoTime() - lastPlain >= PLAIN_EVERY.toNanos() || lastPlain == 0) {
                    out.println(line(planned, switched, keys, secs, remaining));
                    out.flush();
                    lastPlain = System.nanoTime();
                }
            }
            if (System.nanoTime() - start > timeout.toNanos()) {
                if (terminal && !json) {
                    out.println();
                }
                throw new CtlException(ExitCodes.WAIT_TIMEOUT, "cluster " + name + " has not settled after "
                        + timeout.toSeconds() + " s (" + remaining + " slots still to move); the migration goes on");
            }
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CtlException(ExitCodes.INTERRUPTED, "interrupted; the migration goes on");
            }
        }
    }

    /** Rewrites the terminal line, blanking what a longer previous line left. */
    private void redraw(String line) {
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
    }

    /** One status line: with a bar on a terminal, plain otherwise. */
    String line(long planned, long switched, Long keys, double secs, long remaining) {
        StringBuilder sb = new StringBuilder();
        int pct = planned <= 0 ? 100 : (int) (switched * 100 / planned);
        if (terminal) {
            int width = 30;
            int full = pct * width / 100;
            sb.append('[').append("#".repeat(full)).append(".".repeat(width - full)).append("] ");
        }
        sb.append(pct).append("% ").append(switched).append('/').append(Math.max(planned, 0)).append(" slots switched, ");
        sb.append(keys == null ? "keys moved unknown" : keys + " keys moved");
        double slotRate = secs > 0 ? switched / secs : 0;
        if (keys != null && secs > 0) {
            sb.append(String.format(", %.0f keys/s", keys / secs));
        }
        sb.append(String.format(", %.1f slots/s", slotRate));
        if (remaining == 0) {
            sb.append(", finishing");
        } else if (slotRate > 0) {
            sb.append(String.format(", about %.0f s left", remaining / slotRate));
        } else {
            sb.append(", time left unknown");
        }
        return sb.toString();
    }

    /**
     * Keys moved since the watch began by every proxy that has been in the cluster during the watch
     * (a scale-in's sources leave the cluster at the end but their counts stay), or null when one
     * cannot be asked.
     */
    private Long movedKeys(ClusterStore c) {
        java.util.Set<String> proxies = new java.util.LinkedHashSet<>(keyBaseline.keySet());
        proxies.addAll(c.proxyAddresses());
        long total = 0;
        for (String proxy : proxies) {
            Long now = proxyMovedKeys(proxy);
            if (now == null) {
                return null;
            }
            long base = keyBaseline.computeIfAbsent(proxy, p -> now);
            total += Math.max(0, now - base);
        }
        return total;
    }

    private static Long proxyMovedKeys(String proxy) {
        try (BlockingRespClient c = BlockingRespClient.connect(proxy, Duration.ofSeconds(1))) {
            RespReply r = c.command("UMCTL", "STATS");
            if (r instanceof RespReply.Array a) {
                for (RespReply item : a.items()) {
                    if (item instanceof RespReply.Bulk b && b.text().startsWith("migrating_moved_keys:")) {
                        return Long.parseLong(b.text().substring(b.text().indexOf(':') + 1).trim());
                    }
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Every reachable proxy of the cluster reports at least the cluster's epoch. */
    private static boolean proxiesAtEpoch(ClusterStore c) {
        return proxiesAtEpoch(c, false);
    }

    /** Every proxy of the cluster reports at least the cluster's epoch; with {@code strict} an unreachable one does not. */
    static boolean proxiesAtEpoch(ClusterStore c, boolean strict) {
        for (String proxy : c.proxyAddresses()) {
            try (BlockingRespClient client = BlockingRespClient.connect(proxy, Duration.ofSeconds(1))) {
                RespReply r = client.command("UMCTL", "GETEPOCH");
                if (r instanceof RespReply.Int i && i.value() < c.epoch()) {
                    return false;
                }
            } catch (IOException | RuntimeException e) {
                if (strict) {
                    return false;
                }
                // unreachable from here: not a reason to wait forever
            }
        }
        return true;
    }
}
