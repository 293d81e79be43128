package io.undermoon.broker.overview;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.broker.service.BrokerService;
import io.undermoon.broker.service.LocalStorage;
import io.undermoon.broker.service.ProxyEpochReader;
import io.undermoon.broker.view.ClusterViews;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.broker.AddProxyRequest;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.model.broker.MigrationTaskMeta;
import io.undermoon.model.broker.NodeView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planned/switched/remaining slots of a scale, and the overview built from the same stores. */
class MigrationProgressTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-06T00:00:00Z"), ZoneOffset.UTC);
    private final BrokerService service = new BrokerService(BrokerConfig.defaults(),
            new LocalStorage(MetaStore.empty(false), null, false, Duration.ZERO), ProxyEpochReader.resp(Duration.ofMillis(100)),
            clock, true);

    private List<SlotRange> migrating(String cluster) {
        List<SlotRange> out = new ArrayList<>();
        for (NodeView n : ClusterViews.nodes(service.metadata().clusters().get(cluster))) {
            for (SlotRange r : n.slots()) {
                if (r.tag() instanceof SlotRangeTag.Migrating) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    @Test
    void countsSlotsSwitchedAsTasksAreCommitted() throws Exception {
        for (int k = 0; k < 4; k++) {
            service.addProxy(new AddProxyRequest("127.0.0.1:" + (6000 + k), List.of("127.0.0.1:" + (7000 + 2 * k),
                    "127.0.0.1:" + (7001 + 2 * k)), "host" + (k % 2), null));
        }
        service.createCluster("c", 4);
        MigrationProgress progress = new MigrationProgress(clock);
        progress.observe(service.metadata());
        assertThat(progress.get("c")).isNull();

        service.addNodes("c", 4);
        service.expand("c");
        progress.observe(service.metadata());
        MigrationProgress.Entry start = progress.get("c");
        assertThat(start.planned()).isEqualTo(8192);
        assertThat(start.remaining()).isEqualTo(8192);
        assertThat(start.switched()).isZero();
        assertThat(start.startedAtMillis()).isEqualTo(clock.millis());

        Overview o = Overviews.of(service.metadata(), 1, progress);
        Overview.ClusterOverview c = o.clusters().get(0);
        assertThat(c.migratingSlots()).isEqualTo(8192);
        assertThat(c.coveredSlots()).isEqualTo(16384);
        assertThat(c.migrations()).hasSize(2);
        assertThat(c.migrations().stream().filter(m -> Boolean.TRUE.equals(m.active())).count()).isEqualTo(1);
        assertThat(c.progress().plannedSlots()).isEqualTo(8192);
        assertThat(Overviews.of(service.metadata(), -1, null).clusters().get(0).migrations().get(0).active()).isNull();

        List<SlotRange> tasks = migrating("c");
        service.commitMigration(new MigrationTaskMeta("c", tasks.get(0)));
        progress.observe(service.metadata());
        assertThat(progress.get("c").switched()).isEqualTo(tasks.get(0).rangeList().slotCount());
        assertThat(progress.get("c").planned()).isEqualTo(8192);
        c = Overviews.of(service.metadata(), 1, progress).clusters().get(0);
        assertThat(c.progress().switchedSlots()).isEqualTo(4096);
        assertThat(c.coveredSlots()).isEqualTo(16384);
        assertThat(c.masters().stream().mapToLong(Overview.MasterOverview::slotCount).sum()).isEqualTo(16384 - 4096);

        service.commitMigration(new MigrationTaskMeta("c", migrating("c").get(0)));
        progress.observe(service.metadata());
        assertThat(progress.get("c")).isNull();
        c = Overviews.of(service.metadata(), 1, progress).clusters().get(0);
        assertThat(c.progress()).isNull();
        assertThat(c.migrations()).isEmpty();
        assertThat(c.masters()).hasSize(4).allMatch(m -> m.slotCount() == 4096);
    }
}
