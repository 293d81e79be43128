package io.undermoon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.coordinator.testing.BrokerHttp;
import io.undermoon.coordinator.testing.ProxyFixture;
import io.undermoon.model.SlotHash;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How long after a proxy dies every slot is writable again, with the coordinator's default
 * timings (only its address, broker and reporter id are set): the median over
 * {@code -Dfailover.trials=N} runs (default 5) must stay under 5 s. The proxy is stopped (its port
 * then refuses connections, as after kill -9); writes go straight to the surviving proxy. Redis
 * replication is not involved: every Redis is a standalone master here.
 */
class FailoverTimeIT {

    @Test
    void medianTimeFromProxyDeathToAllSlotsWritableIsUnderFiveSeconds() throws Exception {
        int trials = Integer.getInteger("failover.trials", 5);
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            samples.add(oneTrial());
        }
        List<Long> sorted = samples.stream().sorted().toList();
        long median = sorted.get(sorted.size() / 2);
        System.out.printf("failover time (ms) with default coordinator settings: samples=%s median=%d max=%d%n",
                samples, median, sorted.get(sorted.size() - 1));
        assertThat(median).isLessThan(5000);
    }

    private long oneTrial() throws Exception {
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            MemBroker broker = MemBroker.start(BrokerConfig.from(ConfigSource.of(Map.of("address", "127.0.0.1:0"))));
            resources.add(broker);
            BrokerHttp http = new BrokerHttp(broker.address());
            resources.add(http);
            List<ProxyFixture> proxies = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                ProxyFixture p = ProxyFixture.start();
                resources.add(p);
                proxies.add(p);
                http.addProxy(p.address(), p.nodes(), "localhost" + i);
            }
            resources.add(Coordinator.start(CoordinatorConfig.from(ConfigSource.of(Map.of(
                    "address", "127.0.0.1:0", "broker_address", broker.address(), "reporter_id", "timer")))));
            http.createCluster("mycluster", 4);
            var chunk = broker.snapshot().clusters().get("mycluster").chunks().get(0);
            ProxyFixture victim = find(proxies, chunk.proxyAddresses().get(0));
            ProxyFixture survivor = find(proxies, chunk.proxyAddresses().get(1));
            long epoch = broker.snapshot().clusters().get("mycluster").epoch();
            await().atMost(Duration.ofSeconds(20)).until(() -> victim.epoch() == epoch && survivor.epoch() == epoch);
            String low = keyInSlots(0, 8191);
            String high = keyInSlots(8192, 16383);

            long killedAt = System.nanoTime();
            victim.stopProxy();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).pollDelay(Duration.ZERO)
                    .until(() -> writable(survivor, low) && writable(survivor, high));
            return (System.nanoTime() - killedAt) / 1_000_000;
        } finally {
            for (int i = resources.size() - 1; i >= 0; i--) {
                resources.get(i).close();
            }
        }
    }

    private static ProxyFixture find(List<ProxyFixture> proxies, String address) {
        return proxies.stream().filter(p -> p.address().equals(address)).findFirst().orElseThrow();
    }

    private static String keyInSlots(int from, int to) {
        for (int i = 0; ; i++) {
            int slot = SlotHash.slot("k" + i);
            if (slot >= from && slot <= to) {
                return "k" + i;
            }
        }
    }

    private static boolean writable(ProxyFixture proxy, String key) {
        try {
            return proxy.command("SET", key, "v").equals(new RespReply.Simple("OK"));
        } catch (IOException e) {
            return false;
        }
    }
}
