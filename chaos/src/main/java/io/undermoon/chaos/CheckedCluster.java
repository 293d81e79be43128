package io.undermoon.chaos;

import java.util.ArrayList;
import java.util.List;

/** One incarnation of a cluster under check: its checker clients and its slot prober. */
final class CheckedCluster {
    private final String name;
    private final String incarnation;
    private final List<CheckerClient> checkers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final SlotProber prober;
    private final CheckerClient ballast;

    /** With {@code ballastKeys > 0}, that many keys are written once before the clients start and read back at the end. */
    CheckedCluster(String name, String incarnation, int clients, int ballastKeys, ChaosOptions options, long seed,
            ClusterClients clusterClients, RunClock clock, Findings findings) {
        this.name = name;
        this.incarnation = incarnation;
        for (int i = 0; i < clients; i++) {
            checkers.add(new CheckerClient(name, incarnation, "c" + i, options.keysPerClient(), options.opsPerSecond(),
                    seed * 31 + i, clusterClients, clock, findings));
        }
        this.ballast = ballastKeys > 0 ? new CheckerClient(name, incarnation, "ballast", ballastKeys, 1, seed,
                clusterClients, clock, findings) : null;
        this.prober = new SlotProber(name, clusterClients, clock, findings.strays);
    }

    String name() {
        return name;
    }

    String incarnation() {
        return incarnation;
    }

    void start() {
        if (ballast != null) {
            ballast.load();
        }
        prober.start();
        for (int i = 0; i < checkers.size(); i++) {
            threads.add(Thread.ofPlatform().name("chaos-checker-" + incarnation + "-" + i).daemon().start(checkers.get(i)));
        }
    }

    /**
     * Stops the clients and the prober, waiting for commands in flight (bounded by the client
     * timeouts); a slot range still unwritable is recorded as ending the given way.
     */
    void stop(SlotProber.End end) {
        checkers.forEach(CheckerClient::stop);
        for (Thread t : threads) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        prober.stop(end);
    }

    /** Reads every key of every client once more (after {@link #stop()}). */
    void sweep() {
        checkers.forEach(CheckerClient::sweep);
        if (ballast != null) {
            ballast.sweep();
        }
    }

    long ops() {
        return checkers.stream().mapToLong(CheckerClient::ops).sum() + (ballast == null ? 0 : ballast.ops());
    }

    SlotProber prober() {
        return prober;
    }
}
