package io.undermoon.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterLayoutTest {

    @Test
    void mastersOwnTheirSlotsAndReplicasNone() {
        ClusterLayout l = ClusterLayout.of(Layouts.normal(5));
        assertThat(l.epoch()).isEqualTo(5);
        assertThat(l.masters()).containsExactlyInAnyOrder("n1", "n3");
        assertThat(l.proxies()).containsExactly("p1", "p2");
        assertThat(l.ownerOf(0)).isEqualTo("p1");
        assertThat(l.ownerOf(8192)).isEqualTo("p2");
        assertThat(l.slotsOf(List.of("n2", "n4")).isEmpty()).isTrue();
        assertThat(l.slotsOf(Set.of("n1")).cardinality()).isEqualTo(8192);
        assertThat(l.migrating()).isFalse();
        assertThat(l.replicasOf("n1")).containsExactly("n4");
        assertThat(l.replicasOf("n3")).containsExactly("n2");
        assertThat(ClusterLayout.of(Layouts.afterFailoverOfP1(6)).replicasOf("n3")).isEmpty();
        assertThat(l.describe()).contains("master n1@p1 [0-8191]").contains("replica n4@p2");
    }

    @Test
    void aMovingRangeBelongsToBothSidesButClientsUseTheSource() {
        ClusterLayout l = ClusterLayout.of(Layouts.migrating(7));
        assertThat(l.migrating()).isTrue();
        assertThat(l.slotsOf(List.of("n1")).get(5000)).isTrue();
        assertThat(l.slotsOf(List.of("n3")).get(5000)).isTrue();
        assertThat(l.ownerOf(5000)).isEqualTo("p1");
        assertThat(l.ownerOf(9000)).isEqualTo("p2");
    }
}
