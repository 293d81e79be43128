package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The etcd mode's options and the choices its faults make. */
class EtcdModeTest {

    @Test
    void theDefaultModeKeepsItsActionsAndTheEtcdModeAddsItsOwn() {
        assertThat(ChaosOptions.builder().build().actions()).isEqualTo(ChaosAction.CLASSIC)
                .doesNotContainAnyElementsOf(ChaosAction.ETCD_ONLY);
        assertThat(ChaosOptions.builder().etcd(true).build().actions()).isEqualTo(EnumSet.allOf(ChaosAction.class));
        assertThatThrownBy(() -> ChaosOptions.builder().actions(Set.of(ChaosAction.BROKER_FREEZE)).build())
                .hasMessageContaining("needs the etcd mode");
        assertThatThrownBy(() -> ChaosOptions.builder().etcd(true).proxies(4).hosts(2).build()).hasMessageContaining("3 hosts");
        assertThat(ChaosOptions.builder().redisDisklessSyncDelay(5).build().redisDisklessSyncDelay()).isEqualTo(5);
    }

    @Test
    void halfOfTheBrokerFaultsHitTheCoordinatorsFirstBrokerAndEveryBrokerIsHit() {
        int first = 0;
        Set<Integer> hit = new HashSet<>();
        for (int pick = 0; pick < 1000; pick++) {
            int b = FaultInjector.brokerIndex(pick, 3);
            assertThat(b).isBetween(0, 2);
            hit.add(b);
            first += b == 0 ? 1 : 0;
        }
        assertThat(hit).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(first).isGreaterThanOrEqualTo(500);
    }

    @Test
    void theFailoverIsProbedInEveryRangeAndEveryProbeRangeOfTheVictimsSlots() {
        BitSet slots = new BitSet();
        slots.set(0, 600);
        slots.set(8000, 8001);
        // ranges start at 0 and 8000; probe ranges of 256 slots start at 256 and 512
        assertThat(FailoverTimer.probeSlots(slots)).containsExactly(0, 256, 512, 8000);
    }
}
