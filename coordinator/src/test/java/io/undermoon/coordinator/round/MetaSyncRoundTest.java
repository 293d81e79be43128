package io.undermoon.coordinator.round;

import static io.undermoon.coordinator.testing.Views.cluster;
import static io.undermoon.coordinator.testing.Views.clusterProxy;
import static io.undermoon.coordinator.testing.Views.freeProxy;
import static io.undermoon.coordinator.testing.Views.importing;
import static io.undermoon.coordinator.testing.Views.master;
import static io.undermoon.coordinator.testing.Views.meta;
import static io.undermoon.coordinator.testing.Views.peer;
import static io.undermoon.coordinator.testing.Views.replica;
import static io.undermoon.coordinator.testing.Views.stable;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.coordinator.broker.BrokerCallException;
import io.undermoon.coordinator.loop.RoundError;
import io.undermoon.coordinator.testing.ScriptedBroker;
import io.undermoon.coordinator.testing.ScriptedProxyClient;
import io.undermoon.model.MigrationMeta;
import io.undermoon.resp.client.RespReply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetaSyncRoundTest {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScriptedBroker broker = new ScriptedBroker();
    private final ScriptedProxyClient proxies = new ScriptedProxyClient();
    private final MigrationMeta m = meta(9, "127.0.0.1:6001", "127.0.0.1:7001", "127.0.0.1:6003", "127.0.0.1:7005");

    @BeforeEach
    void setUp() {
        broker.clusters.put("mycluster", cluster("mycluster", 9,
                master("127.0.0.1:7001", "127.0.0.1:6001", List.of(stable(0, 8191)), "127.0.0.1:7004", "127.0.0.1:6002"),
                replica("127.0.0.1:7002", "127.0.0.1:6001", "127.0.0.1:7003", "127.0.0.1:6002"),
                master("127.0.0.1:7003", "127.0.0.1:6002", List.of(stable(8192, 16383)), "127.0.0.1:7002", "127.0.0.1:6001"),
                replica("127.0.0.1:7004", "127.0.0.1:6002", "127.0.0.1:7001", "127.0.0.1:6001"),
                master("127.0.0.1:7005", "127.0.0.1:6003", List.of(importing(4096, 8191, m)), "127.0.0.1:7008", "127.0.0.1:6004"),
                replica("127.0.0.1:7006", "127.0.0.1:6003", "127.0.0.1:7007", "127.0.0.1:6004")));
        broker.proxies.put("127.0.0.1:6001", clusterProxy("mycluster", "127.0.0.1:6001", 9,
                List.of(master("127.0.0.1:7001", "127.0.0.1:6001", List.of(stable(0, 8191)), "127.0.0.1:7004", "127.0.0.1:6002")),
                List.of(peer("127.0.0.1:6002", stable(8192, 16383)))));
        broker.proxies.put("127.0.0.1:6002", clusterProxy("mycluster", "127.0.0.1:6002", 9,
                List.of(master("127.0.0.1:7003", "127.0.0.1:6002", List.of(stable(8192, 16383)), "127.0.0.1:7002", "127.0.0.1:6001")),
                List.of(peer("127.0.0.1:6001", stable(0, 8191)))));
        broker.proxies.put("127.0.0.1:6003", clusterProxy("mycluster", "127.0.0.1:6003", 9,
                List.of(master("127.0.0.1:7005", "127.0.0.1:6003", List.of(importing(4096, 8191, m)), "127.0.0.1:7008", "127.0.0.1:6004")),
                List.of()));
        broker.proxies.put("127.0.0.1:6009", freeProxy("127.0.0.1:6009", 12, "127.0.0.1:7017", "127.0.0.1:7018"));
    }

    @AfterEach
    void close() {
        executor.shutdownNow();
    }

    private MetaSyncRound round(boolean compress) {
        return new MetaSyncRound(broker, proxies, compress, executor);
    }

    @Test
    void ordersImportingProxiesFirstAndFreeProxiesLast() throws InterruptedException {
        List<RoundError> errors = new ArrayList<>();
        assertThat(round(false).orderedProxies(errors))
                .containsExactly("127.0.0.1:6003", "127.0.0.1:6001", "127.0.0.1:6002", "127.0.0.1:6009");
        assertThat(errors).isEmpty();
    }

    @Test
    void pushesSetReplThenSetClusterToEveryProxy() throws InterruptedException {
        assertThat(round(false).run()).isEmpty();
        for (String p : List.of("127.0.0.1:6001", "127.0.0.1:6002", "127.0.0.1:6003", "127.0.0.1:6009")) {
            List<String> names = proxies.sent().stream().filter(s -> s.address().equals(p)).map(ScriptedProxyClient.Sent::name)
                    .toList();
            assertThat(names).as(p).containsExactly("SETREPL", "SETCLUSTER");
        }
        assertThat(proxies.retained()).hasSize(4);
    }

    @Test
    void aProxyWithNullMetadataIsSkipped() throws InterruptedException {
        broker.proxiesWithoutView.add("127.0.0.1:6010");
        assertThat(round(false).run()).isEmpty();
        assertThat(proxies.sent()).extracting(ScriptedProxyClient.Sent::address).doesNotContain("127.0.0.1:6010");
        assertThat(broker.calls()).contains("proxy 127.0.0.1:6010");
    }

    @Test
    void aClusterTheBrokerNoLongerHasIsSkipped() throws InterruptedException {
        broker.clusters.put("gone", null);
        List<RoundError> errors = new ArrayList<>();
        assertThat(round(false).orderedProxies(errors)).hasSize(4);
        assertThat(errors).isEmpty();
    }

    @Test
    void aListingErrorIsAnErrorOfTheRoundButTheListedProxiesAreStillSynced() throws InterruptedException {
        broker.listingError = new BrokerCallException(BrokerCallException.Kind.IO, "connection refused");
        List<RoundError> errors = round(false).run();
        assertThat(errors).extracting(RoundError::message).anyMatch(s -> s.contains("listing the clusters"))
                .anyMatch(s -> s.contains("listing the proxies"));
        assertThat(proxies.addressesOf("SETCLUSTER")).hasSize(4);
    }

    @Test
    void failedFreeProxiesAreNotSynced() throws InterruptedException {
        broker.failed.add("127.0.0.1:6009");
        assertThat(round(false).run()).isEmpty();
        assertThat(proxies.addressesOf("SETREPL")).doesNotContain("127.0.0.1:6009").hasSize(3);
    }

    @Test
    void oneProxyFailingDoesNotStopTheOthers() throws InterruptedException {
        proxies.down.add("127.0.0.1:6001");
        proxies.answer((a, c) -> a.equals("127.0.0.1:6002") ? new RespReply.Error("ERR_NOT_MY_META") : new RespReply.Simple("OK"));
        List<RoundError> errors = round(false).run();
        assertThat(errors).extracting(RoundError::key).containsExactlyInAnyOrder("127.0.0.1:6001", "127.0.0.1:6002");
        assertThat(proxies.addressesOf("SETCLUSTER")).containsExactlyInAnyOrder("127.0.0.1:6003", "127.0.0.1:6009");
    }

    @Test
    void compressionSendsTheCompressedForm() throws InterruptedException {
        round(true).run();
        assertThat(proxies.sent()).filteredOn(s -> s.name().equals("SETCLUSTER"))
                .allSatisfy(s -> assertThat(s.command().get(4)).isEqualTo("COMPRESS"));
    }
}
