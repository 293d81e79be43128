package io.undermoon.it;

import io.undermoon.testkit.ClusterProbe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undermoon.local.LocalCluster;
import io.undermoon.process.Repository;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisCluster;

/**
 * Scaling 4 -> 8 -> 4 nodes through the broker API, with the coordinator committing, while clients
 * run against a model: afterwards every key holds exactly what the model says, no deleted key came
 * back, and no client saw an error other than a redirection.
 */
class ScalingIT {
    private static final Logger LOG = LoggerFactory.getLogger(ScalingIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode info(LocalCluster lc, String name) throws Exception {
        HttpResponse<String> r = lc.http("GET", "/api/v3/clusters/info/" + name, null);
        return JSON.readTree(r.body());
    }

    /** Calls the auto-scale API until the cluster has {@code nodes} nodes, all with slots, no migration running. */
    static void scaleTo(LocalCluster lc, String name, int nodes, Duration timeout) {
        lc.await("cluster " + name + " at " + nodes + " nodes with no migration", timeout, () -> {
            try {
                JsonNode i = info(lc, name);
                if (!i.path("is_migrating").asBoolean(true) && i.path("node_number").asInt() == nodes
                        && i.path("node_number_with_slots").asInt() == nodes) {
                    return true;
                }
                if (!i.path("is_migrating").asBoolean(true)) {
                    HttpResponse<String> r = lc.http("POST", "/api/v3/clusters/migrations/auto/" + name + "/" + nodes, null);
                    LOG.info("auto-scale to {}: HTTP {} {}", nodes, r.statusCode(), r.body());
                }
                Thread.sleep(500);
                return false;
            } catch (Exception e) {
                return false;
            }
        });
    }

    @Test
    void scaleOutAndInWhileClientsRunAgainstAModel() throws Exception {
        try (LocalCluster lc = LocalCluster.builder().proxies(4).hosts(2)
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root())).start()) {
            lc.createCluster("mycluster", 4);
            lc.awaitServing("mycluster", 4, Duration.ofSeconds(120));
            try (ModelWorkload load = new ModelWorkload(() -> ClusterProbe.client(lc, 5000, 30), 4, 500)) {
                load.start();
                lc.await("load running", Duration.ofSeconds(60), () -> load.ops() > 5000);
                scaleTo(lc, "mycluster", 8, Duration.ofMinutes(3));
                LOG.info("scaled out to 8 nodes after {} operations", load.ops());
                long mid = load.ops();
                lc.await("load after scaling out", Duration.ofSeconds(60), () -> load.ops() > mid + 3000);
                scaleTo(lc, "mycluster", 4, Duration.ofMinutes(3));
                LOG.info("scaled in to 4 nodes after {} operations", load.ops());
                long end = load.ops();
                lc.await("load after scaling in", Duration.ofSeconds(60), () -> load.ops() > end + 3000);
                load.stop();
                assertThat(load.problems()).as("errors or wrong replies seen by clients").isEmpty();
                try (JedisCluster jc = ClusterProbe.client(lc, 5000, 10)) {
                    assertThat(load.verify(jc)).as("keys differing from the model").isEmpty();
                    assertThat(load.resurrected(jc)).as("deleted keys that came back").isEmpty();
                }
            }
            assertThat(lc.servingProxies("mycluster")).hasSize(2);
        }
    }
}
