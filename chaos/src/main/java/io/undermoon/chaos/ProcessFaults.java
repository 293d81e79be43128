package io.undermoon.chaos;

import io.undermoon.local.LocalCluster;
import io.undermoon.local.ProgramProcess;
import io.undermoon.process.RedisProcess;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * kill -9 and restart of the processes of a {@link LocalCluster}. A kill that makes the broker fail
 * a proxy over is recorded as a {@link KillEvent}, stamped once the process is gone. A restarted
 * proxy is re-registered ({@code POST /api/v3/proxies/meta}; 409 clears its failed state), as an
 * operator does.
 */
final class ProcessFaults {
    private static final long START_TIMEOUT_MILLIS = 60_000;

    private final LocalCluster lc;
    private final BrokerApi broker;
    private final RunClock clock;
    private final Timeline timeline;
    private final Set<Integer> frozen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ProcessFaults(LocalCluster lc, BrokerApi broker, RunClock clock, Timeline timeline) {
        this.lc = lc;
        this.broker = broker;
        this.clock = clock;
        this.timeline = timeline;
    }

    long killProxy(LocalCluster.ProxyNode p) {
        return killProxy(p, FaultKind.PROXY_RESTART);
    }

    long killProxy(LocalCluster.ProxyNode p, FaultKind kind) {
        p.process().kill();
        long t = clock.now();
        timeline.addKill(new KillEvent(t, kind, p.address(), nodes(p)));
        return t;
    }

    long killMachine(LocalCluster.ProxyNode p) {
        return killMachine(p, FaultKind.MACHINE_FAILURE);
    }

    long killMachine(LocalCluster.ProxyNode p, FaultKind kind) {
        p.killWithRedis();
        long t = clock.now();
        timeline.addKill(new KillEvent(t, kind, p.address(), nodes(p)));
        return t;
    }

    private static Set<String> nodes(LocalCluster.ProxyNode p) {
        return Set.of(p.redis1().address(), p.redis2().address());
    }

    /** Starts the proxy again, waits until it answers and re-registers it. */
    void restartProxy(LocalCluster.ProxyNode p) {
        p.process().start();
        await(p.address() + " answers PING", () -> pong(p.address()));
        register(p);
    }

    /** Starts both Redis (with their append-only files) and then the proxy. */
    void restartMachine(LocalCluster.ProxyNode p) {
        p.redis1().restart();
        p.redis2().restart();
        restartProxy(p);
    }

    long killRedis(RedisProcess r) {
        r.kill();
        return clock.now();
    }

    void restartRedis(RedisProcess r) {
        r.restart();
    }

    long killCoordinator() {
        lc.coordinators().getFirst().kill();
        return clock.now();
    }

    void restartCoordinator() {
        ProgramProcess c = lc.coordinators().getFirst();
        c.start();
        String address = lc.coordinatorAddresses().getFirst();
        await("the coordinator answers on " + address, () -> answers(address));
    }

    long killBroker() {
        lc.broker().kill();
        return clock.now();
    }

    void restartBroker() {
        lc.broker().start();
        await("the broker answers", broker::up);
    }

    /** kill -9 of broker {@code i} (etcd mode). */
    long killBroker(int i) {
        lc.brokers().get(i).kill();
        return clock.now();
    }

    /** Starts broker {@code i} again and waits until it answers (it loads the store from etcd). */
    void restartBroker(int i) {
        ProgramProcess b = lc.brokers().get(i);
        b.start();
        String address = lc.brokerAddresses().get(i);
        // a broker that cannot load the store from etcd in time exits with an error: started again, as a supervisor would
        await("broker " + address + " answers", () -> {
            if (!b.isAlive()) {
                timeline.problem("broker " + address + " exited while starting (see its log); started again");
                b.start();
            }
            return broker.up(address);
        });
    }

    /** SIGSTOP of broker {@code i}: a hung machine; its connections stay open and unanswered. */
    long freezeBroker(int i) {
        frozen.add(i);
        signal(lc.brokers().get(i).pid(), "STOP");
        return clock.now();
    }

    /** SIGCONT of broker {@code i}. */
    void thawBroker(int i) {
        signal(lc.brokers().get(i).pid(), "CONT");
        frozen.remove(i);
    }

    /** The brokers stopped with SIGSTOP and not continued yet. */
    Set<Integer> frozenBrokers() {
        return Set.copyOf(frozen);
    }

    long killEtcdMember(int i) {
        lc.etcd().member(i).kill();
        return clock.now();
    }

    /** Starts the member again on its data; waits until it answers healthy. */
    void restartEtcdMember(int i) {
        lc.etcd().member(i).restart();
    }

    private static void signal(long pid, String sig) {
        if (pid <= 0) {
            throw new IllegalStateException("no process to send SIG" + sig + " to");
        }
        try {
            Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true).start();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("kill -" + sig + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunClock.ChaosInterrupted(e);
        }
    }

    /** Registers the proxy again (409 ALREADY_EXISTED clears its failed state); retried while the broker is down. */
    void register(LocalCluster.ProxyNode p) {
        RuntimeException last = null;
        long deadline = clock.now() + START_TIMEOUT_MILLIS;
        while (clock.now() < deadline) {
            try {
                BrokerApi.Reply r = broker.registerProxy(p);
                if (r.status() == 200 || r.status() == 409) {
                    return;
                }
                last = new IllegalStateException("registering " + p.address() + " failed with HTTP " + r);
            } catch (BrokerApi.Unavailable e) {
                last = e;
            }
            RunClock.sleep(500);
        }
        throw new IllegalStateException("could not re-register " + p.address(), last);
    }

    static boolean pong(String address) {
        try {
            return call(address, "PING") instanceof RespReply.Simple s && s.text().equals("PONG");
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean answers(String address) {
        try {
            call(address, "CONFIG", "GET", "brokers");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void await(String what, BooleanSupplier condition) {
        long deadline = clock.now() + START_TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (clock.now() > deadline) {
                throw new IllegalStateException("timed out waiting until " + what);
            }
            RunClock.sleep(100);
        }
    }

    private static RespReply call(String address, String... cmd) throws IOException {
        try (BlockingRespClient c = BlockingRespClient.connect(address, java.time.Duration.ofSeconds(3))) {
            return c.command(cmd);
        }
    }
}
