package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.chaos.ChaosOptions;
import io.undermoon.chaos.ChaosReport;
import io.undermoon.chaos.ChaosRun;
import io.undermoon.chaos.FaultKind;
import io.undermoon.chaos.ReportText;
import io.undermoon.local.LocalCluster;
import io.undermoon.process.Repository;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The short chaos run of the default test suite: 8 proxies on 3 hosts, about 100 s of faults (every
 * kind of kill, scaling, creating and deleting a cluster), checker clients on every cluster; the
 * run must meet every target (no wrong value, no acknowledged write lost outside a failover
 * replication window, converged within 30 s, every slot writable again, every key readable).
 * {@code -Dchaos.seconds=N} and {@code -Dchaos.seed=S} change the length and the schedule.
 */
class ChaosIT {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosIT.class);

    @Test
    void aShortChaosRunMeetsEveryTarget() {
        long seed = Long.getLong("chaos.seed", 20261125L);
        long seconds = Long.getLong("chaos.seconds", 100L);
        ChaosOptions options = ChaosOptions.builder().duration(Duration.ofSeconds(seconds)).seed(seed).proxies(8).hosts(3)
                .clientsPerCluster(2).keysPerClient(150).opsPerSecond(100).meanFaultInterval(Duration.ofSeconds(6))
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root())).build();
        ChaosReport r = ChaosRun.run(options);
        LOG.info("chaos report:\n{}", ReportText.markdown(r, "ChaosIT -Dchaos.seed=" + seed + " -Dchaos.seconds=" + seconds));

        assertThat(r.targetFailures()).as("targets missed").isEmpty();
        assertThat(r.faultsInjected()).as("faults injected").containsKeys(FaultKind.PROXY_RESTART, FaultKind.MACHINE_FAILURE,
                FaultKind.COORDINATOR_RESTART, FaultKind.BROKER_RESTART);
        assertThat(r.faultsInjected().getOrDefault(FaultKind.REDIS_MASTER_RESTART, 0)
                + r.faultsInjected().getOrDefault(FaultKind.REDIS_REPLICA_RESTART, 0)).as("Redis restarts").isPositive();
        assertThat(r.operations().setsAcked()).as("acknowledged writes").isGreaterThan(2000);
        assertThat(r.operations().readsVerified()).as("verified reads").isGreaterThan(2000);
        assertThat(r.operations().sweepReads()).as("keys read in the final sweep").isGreaterThanOrEqualTo(300);
    }
}
