package io.undermoon.broker.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undermoon.broker.MemBroker;
import io.undermoon.broker.testing.ApiClient;
import io.undermoon.broker.testing.Brokers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replica push between two brokers, and the replica's acceptance rules. */
class ReplicaIT {

    @Test
    void thePrimaryPushesItsStoreToTheReplica() {
        try (MemBroker replica = Brokers.start(Map.of());
             MemBroker primary = Brokers.start(Map.of("replica_addresses", replica.address(), "sync_meta_interval", 1));
             ApiClient p = new ApiClient(primary.address());
             ApiClient r = new ApiClient(replica.address())) {
            assertThat(p.get("/config").json().get("replica_addresses").get(0).asText()).isEqualTo(replica.address());
            p.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", "a");
            p.addProxy("127.0.0.1:6001", "127.0.0.1:7002", "127.0.0.1:7003", "b");
            assertThat(p.post("/clusters/meta/c", "{\"node_number\": 4}").status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> r.get("/metadata").text().equals(p.get("/metadata").text()));
            assertThat(r.get("/clusters/meta/c").json().get("cluster").get("nodes")).hasSize(4);

            // a promoted replica moves ahead; the old primary's pushes are then refused, not applied
            assertThat(r.put("/epoch/100").status()).isEqualTo(200);
            assertThat(primary.pushToReplicas()).containsExactly(replica.address());
            assertThat(r.get("/epoch").json().asLong()).isEqualTo(100);

            // the replica list can be changed at runtime
            assertThat(p.put("/config", "{\"replica_addresses\": []}").status()).isEqualTo(200);
            assertThat(primary.pushToReplicas()).isEmpty();
            assertThat(p.put("/config", "{\"replica_addresses\": [\"127.0.0.1:1\"]}").status()).isEqualTo(200);
            assertThat(primary.pushToReplicas()).containsExactly("127.0.0.1:1");
            assertThat(primary.service().replicaAddresses()).isEqualTo(List.of("127.0.0.1:1"));
        }
    }
}
