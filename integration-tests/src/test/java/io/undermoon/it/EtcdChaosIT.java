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
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short chaos run in the etcd mode: 3 real etcd members, 3 brokers, the coordinator given every
 * broker address; besides the proxy, Redis and cluster faults, kill -9 and SIGSTOP of any broker,
 * kill -9 of an etcd member, the loss of a whole host and a broker loss followed by a master proxy
 * kill. Every target must be met, including no acknowledged metadata change lost and no epoch
 * regression, and a failover after a broker loss must have been timed. Opt-in (about 5 minutes):
 * {@code -Dundermoon.long=true}; {@code -Dchaos.seconds=N -Dchaos.seed=S} change it.
 */
@EnabledIfSystemProperty(named = "undermoon.long", matches = "true")
class EtcdChaosIT {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdChaosIT.class);

    @Test
    void aShortChaosRunOnEtcdMeetsEveryTarget() {
        long seed = Long.getLong("chaos.seed", 20261206L);
        long seconds = Long.getLong("chaos.seconds", 120L);
        ChaosOptions options = ChaosOptions.builder().etcd(true).duration(Duration.ofSeconds(seconds)).seed(seed).proxies(8)
                .hosts(3).clientsPerCluster(2).keysPerClient(150).opsPerSecond(100).meanFaultInterval(Duration.ofSeconds(5))
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root())).build();
        ChaosReport r = ChaosRun.run(options);
        LOG.info("chaos report:\n{}", ReportText.markdown(r, "EtcdChaosIT -Dchaos.seed=" + seed + " -Dchaos.seconds=" + seconds));

        assertThat(r.targetFailures()).as("targets missed").isEmpty();
        assertThat(r.metadata().checked()).isTrue();
        assertThat(r.metadata().changesAcknowledged()).as("acknowledged metadata changes").isPositive();
        assertThat(r.metadata().epochAnswers()).as("epoch answers").isGreaterThan(seconds);
        assertThat(r.faultsInjected()).as("faults injected").containsKeys(FaultKind.BROKER_KILL, FaultKind.BROKER_FREEZE,
                FaultKind.ETCD_MEMBER_RESTART);
        assertThat(r.faultsInjected().getOrDefault(FaultKind.HOST_FAILURE, 0)
                + r.faultsInjected().getOrDefault(FaultKind.BROKER_LOSS_FAILOVER, 0)).as("broker losses with a proxy").isPositive();
        assertThat(r.brokerLosses()).as("failovers timed after a broker loss").isNotEmpty()
                .allSatisfy(l -> assertThat(l.writableMillis()).as(l.toString()).isPositive());
        assertThat(r.operations().setsAcked()).as("acknowledged writes").isGreaterThan(2000);
    }
}
