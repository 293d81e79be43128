package io.undermoon.chaos;

import io.undermoon.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a chaos run is shaped. Every number is bounded; {@link #builder()} has the defaults of
 * {@code ./undermoon chaos}.
 *
 * @param duration how long faults are injected (the run lasts longer: start-up, convergence, sweep)
 * @param seed seeds the schedule (which fault, when, on which target, how long) and the clients
 * @param proxies server proxies (each with 2 Redis), spread over {@code hosts} simulated hosts
 * @param clientsPerCluster checker clients on the main cluster (an extra cluster gets one)
 * @param keysPerClient keys each checker client owns
 * @param ballastKeys keys written once into the main cluster before the faults and read back at the
 *     end: data that migrations and resyncs must carry
 * @param opsPerSecond pace of each checker client
 * @param meanFaultInterval mean pause between two scheduled actions (uniform in 0.5x..1.5x)
 * @param maxConcurrentFaults process faults (kills) that may be in progress at once
 * @param actions the actions the schedule draws from
 * @param lossWindowMillis the failover replication window (see {@link LossClassifier})
 * @param convergenceTarget the time within which the system must converge after the faults stop
 * @param convergenceTimeout how long convergence is waited for before the run gives up
 * @param dataDir where metadata and logs go (a temporary directory when null)
 * @param etcd the etcd mode: the store is a 3-member etcd cluster served by 3 brokers (broker i and
 *     etcd member i on simulated host i+1), the coordinator is given every broker address, and the
 *     schedule adds broker and etcd faults ({@link ChaosAction#ETCD_ONLY})
 * @param redisDisklessSyncDelay Redis's {@code repl-diskless-sync-delay} (0, the harness's default, syncs a
 *     replica at once; 5 is Redis's own default)
 */
public record ChaosOptions(Duration duration, long seed, int proxies, int hosts, int clientsPerCluster,
        int keysPerClient, int ballastKeys, int opsPerSecond, Duration meanFaultInterval, int maxConcurrentFaults,
        Set<ChaosAction> actions, long lossWindowMillis, Duration convergenceTarget, Duration convergenceTimeout,
        Path dataDir, LocalCluster.Runtime runtime, boolean etcd, int redisDisklessSyncDelay) {

    /** Brokers and etcd members of the etcd mode (one of each on each of the first 3 hosts). */
    public static final int ETCD_MEMBERS = 3;

    public ChaosOptions {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(meanFaultInterval, "meanFaultInterval");
        Objects.requireNonNull(convergenceTarget, "convergenceTarget");
        Objects.requireNonNull(convergenceTimeout, "convergenceTimeout");
        Objects.requireNonNull(runtime, "runtime");
        actions = Set.copyOf(actions);
        require(!duration.isNegative() && duration.compareTo(Duration.ofHours(24)) <= 0, "duration must be 0..24h");
        require(proxies >= 4 && proxies <= 32, "proxies must be 4..32 (a cluster of 4 nodes needs 2, failover needs free ones)");
        require(hosts >= 2 && hosts <= proxies, "need at least 2 hosts and no more hosts than proxies");
        require(clientsPerCluster >= 1 && clientsPerCluster <= 32, "clients per cluster must be 1..32");
        require(keysPerClient >= 1 && keysPerClient <= 100_000, "keys per client must be 1..100000");
        require(ballastKeys >= 0 && ballastKeys <= 1_000_000, "ballast keys must be 0..1000000");
        require(opsPerSecond >= 1 && opsPerSecond <= 10_000, "ops per second must be 1..10000");
        require(meanFaultInterval.toMillis() >= 100, "mean fault interval must be at least 100 ms");
        require(maxConcurrentFaults >= 1 && maxConcurrentFaults <= 8, "max concurrent faults must be 1..8");
        require(lossWindowMillis >= 0, "loss window must not be negative");
        require(!convergenceTimeout.minus(convergenceTarget).isNegative(), "convergence timeout must be >= target");
        require(redisDisklessSyncDelay >= 0 && redisDisklessSyncDelay <= 60, "repl-diskless-sync-delay must be 0..60 s");
        require(!etcd || hosts >= ETCD_MEMBERS, "the etcd mode needs at least " + ETCD_MEMBERS + " hosts (a broker and an etcd member on each)");
        if (!etcd) {
            for (ChaosAction a : actions) {
                require(!ChaosAction.ETCD_ONLY.contains(a), a + " needs the etcd mode (--etcd)");
            }
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Defaults: 5 minutes, 9 proxies on 3 hosts, 3 clients of 200 keys at 150 ops/s, 20000 ballast keys, an action every 8 s,
     * the memory broker and the {@link ChaosAction#CLASSIC} actions.
     */
    public static final class Builder {
        private Duration duration = Duration.ofMinutes(5);
        private long seed = System.currentTimeMillis();
        private int proxies = 9;
        private int hosts = 3;
        private int clientsPerCluster = 3;
        private int keysPerClient = 200;
        private int ballastKeys = 20_000;
        private int opsPerSecond = 150;
        private Duration meanFaultInterval = Duration.ofSeconds(8);
        private int maxConcurrentFaults = 2;
        private Set<ChaosAction> actions;
        private long lossWindowMillis = 2000;
        private Duration convergenceTarget = Duration.ofSeconds(30);
        private Duration convergenceTimeout = Duration.ofSeconds(120);
        private Path dataDir;
        private LocalCluster.Runtime runtime = LocalCluster.Runtime.current();
        private boolean etcd;
        private int redisDisklessSyncDelay;

        public Builder duration(Duration d) {
            this.duration = d;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public Builder proxies(int n) {
            this.proxies = n;
            return this;
        }

        public Builder hosts(int n) {
            this.hosts = n;
            return this;
        }

        public Builder clientsPerCluster(int n) {
            this.clientsPerCluster = n;
            return this;
        }

        public Builder keysPerClient(int n) {
            this.keysPerClient = n;
            return this;
        }

        public Builder ballastKeys(int n) {
            this.ballastKeys = n;
            return this;
        }

        public Builder opsPerSecond(int n) {
            this.opsPerSecond = n;
            return this;
        }

        public Builder meanFaultInterval(Duration d) {
            this.meanFaultInterval = d;
            return this;
        }

        public Builder maxConcurrentFaults(int n) {
            this.maxConcurrentFaults = n;
            return this;
        }

        public Builder actions(Set<ChaosAction> a) {
            this.actions = a.isEmpty() ? EnumSet.noneOf(ChaosAction.class) : EnumSet.copyOf(a);
            return this;
        }

        public Builder lossWindowMillis(long ms) {
            this.lossWindowMillis = ms;
            return this;
        }

        public Builder convergenceTarget(Duration d) {
            this.convergenceTarget = d;
            return this;
        }

        public Builder convergenceTimeout(Duration d) {
            this.convergenceTimeout = d;
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder runtime(LocalCluster.Runtime r) {
            this.runtime = r;
            return this;
        }

        /** The etcd mode (3 etcd members, 3 brokers); unless {@link #actions} is given, its faults join the schedule. */
        public Builder etcd(boolean on) {
            this.etcd = on;
            return this;
        }

        /** Redis's {@code repl-diskless-sync-delay}: 5 runs Redis as its default configuration does. */
        public Builder redisDisklessSyncDelay(int seconds) {
            this.redisDisklessSyncDelay = seconds;
            return this;
        }

        public ChaosOptions build() {
            Set<ChaosAction> chosen = actions != null ? actions : etcd ? EnumSet.allOf(ChaosAction.class) : ChaosAction.CLASSIC;
            return new ChaosOptions(duration, seed, proxies, hosts, clientsPerCluster, keysPerClient, ballastKeys, opsPerSecond,
                    meanFaultInterval, maxConcurrentFaults, chosen, lossWindowMillis, convergenceTarget,
                    convergenceTimeout, dataDir, runtime, etcd, redisDisklessSyncDelay);
        }
    }
}
