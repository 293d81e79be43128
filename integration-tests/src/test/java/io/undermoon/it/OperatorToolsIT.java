package io.undermoon.it;

import io.undermoon.testkit.ClusterProbe;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undermoon.cli.ctl.CtlCommand;
import io.undermoon.process.FreePorts;
import io.undermoon.testkit.HeadlessChromium;
import io.undermoon.local.LocalCluster;
import io.undermoon.testkit.PrometheusText;
import io.undermoon.process.Repository;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.hawkular.agent.prometheus.types.Counter;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import redis.clients.jedis.JedisCluster;

/**
 * The operator's tools on a real local system (broker, coordinator, proxies, Redis as child
 * processes): {@code undermoon ctl cluster scale --wait} scales 4 to 8 nodes while the web dashboard,
 * opened in headless Chromium, shows the migration; then a proxy is killed and the dashboard shows
 * it failed; the broker's and the coordinator's /metrics parse and tell what happened. Screenshots
 * are kept in {@code target/dashboard-screenshots/} (and copied to the path in the system property
 * {@code undermoon.docs.screenshot}, if given, for docs/).
 */
class OperatorToolsIT {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorToolsIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHOTS = Path.of("target", "dashboard-screenshots");

    record Run(int code, String out, String err) {}

    static Run ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CtlCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static JsonNode overview(LocalCluster lc) throws Exception {
        return JSON.readTree(lc.http("GET", "/ui/api/overview", null).body());
    }

    @Test
    void scaleWithCtlWatchedOnTheDashboardThenAFailedProxy() throws Exception {
        int coordinatorMetrics = FreePorts.next();
        try (LocalCluster lc = LocalCluster.builder().proxies(6).hosts(2)
                .coordinatorEnv("UNDERMOON_METRICS_ADDRESS", "127.0.0.1:" + coordinatorMetrics)
                .runtime(LocalCluster.Runtime.ofRepository(Repository.root())).start()) {
            lc.createCluster("mycluster", 4);
            lc.awaitServing("mycluster", 4, Duration.ofSeconds(120));
            String ui = "http://" + lc.brokerAddress() + "/ui/";

            // the page with the cluster before anything moves
            String dom = HeadlessChromium.dumpDom(ui, Duration.ofSeconds(4));
            assertThat(dom).contains("data-state=\"ready\"").contains("data-cluster=\"mycluster\"")
                    .contains("slots covered 16384 / 16384").doesNotContain("data-migrating=");

            // slow migration (one key per scan step, 10 ms apart) over enough keys to watch it
            Run cfg = ctl("config", "set", "mycluster", "migration_scan_count", "1", "--broker", lc.brokerAddress());
            assertThat(cfg.code()).as(cfg.err()).isZero();
            assertThat(ctl("config", "set", "mycluster", "migration_scan_interval", "20000", "--broker", lc.brokerAddress())
                    .code()).isZero();
            try (JedisCluster jc = ClusterProbe.client(lc, 5000, 30)) {
                for (int i = 0; i < 10000; i++) {
                    jc.set("k" + i, "v" + i);
                }
            }

            CompletableFuture<Run> scale = CompletableFuture.supplyAsync(() ->
                    ctl("cluster", "scale", "mycluster", "8", "--wait", "--wait-timeout", "300", "--broker", lc.brokerAddress()));
            lc.await("a migration in the overview", Duration.ofSeconds(120), () -> {
                try {
                    return overview(lc).path("clusters").get(0).path("migrations").size() > 0;
                } catch (Exception e) {
                    return false;
                }
            });
            Files.createDirectories(SHOTS);
            HeadlessChromium.screenshot(ui, SHOTS.resolve("scale-out.png"), 1280, 1100, Duration.ofSeconds(3));
            dom = HeadlessChromium.dumpDom(ui, Duration.ofSeconds(3));
            assertThat(overview(lc).path("clusters").get(0).path("migrations").size())
                    .as("still migrating after the browser looked (else the check below proves nothing)").isPositive();
            assertThat(dom).contains("data-migrating=\"mycluster\"").contains("slots switched")
                    .contains("migration task(s)").containsPattern("<td>(moving|queued)</td>");
            // for docs/: a picture once some slots have switched and others are still moving
            boolean midMove = false;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!midMove && System.nanoTime() < until && !scale.isDone()) {
                JsonNode c0 = overview(lc).path("clusters").get(0);
                midMove = c0.path("progress").path("switched_slots").asLong() > 0 && c0.path("migrations").size() > 0;
                if (!midMove) {
                    Thread.sleep(200);
                }
            }
            if (midMove) {
                HeadlessChromium.screenshot(ui, SHOTS.resolve("scale-out-mid-move.png"), 1280, 1000, Duration.ofSeconds(3));
                String docs = System.getProperty("undermoon.docs.screenshot");
                if (docs != null && !docs.isEmpty()) {
                    Files.copy(SHOTS.resolve("scale-out-mid-move.png"), Path.of(docs), StandardCopyOption.REPLACE_EXISTING);
                }
            }

            Run r = scale.get(6, TimeUnit.MINUTES);
            LOG.info("ctl scale --wait: exit {}\n{}{}", r.code(), r.out(), r.err());
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).containsPattern("cluster mycluster settled at 8 nodes: [1-9]\\d* slots switched, [1-9]\\d* keys moved");
            JsonNode after = overview(lc).path("clusters").get(0);
            assertThat(after.path("node_number").asInt()).isEqualTo(8);
            assertThat(after.path("migrations").size()).isZero();
            assertThat(after.path("covered_slots").asInt()).isEqualTo(16384);

            // a killed proxy is failed over and shown as failed
            LocalCluster.ProxyNode victim = lc.servingProxies("mycluster").get(0);
            victim.killWithRedis();
            lc.await("the broker marks " + victim.address() + " failed", Duration.ofSeconds(60), () -> {
                try {
                    return overview(lc).path("failed_proxies").toString().contains(victim.address());
                } catch (Exception e) {
                    return false;
                }
            });
            dom = HeadlessChromium.dumpDom(ui, Duration.ofSeconds(3));
            HeadlessChromium.screenshot(ui, SHOTS.resolve("failed-proxy.png"), 1280, 1100, Duration.ofSeconds(3));
            assertThat(dom).contains("data-failed-proxy=\"" + victim.address() + "\"")
                    .contains("data-proxy=\"" + victim.address() + "\" data-proxy-state=\"failed\"");

            Run status = ctl("status", "--broker", lc.brokerAddress());
            assertThat(status.out()).contains("failed proxies: " + victim.address()).contains("mycluster");

            // both programs' metrics parse and tell what happened
            Map<String, MetricFamily> b = PrometheusText.scrape(lc.brokerAddress());
            assertThat(b.get("undermoon_broker_failure_reports_total").getMetrics())
                    .anyMatch(x -> x.getLabels().get("outcome").equals("accepted") && ((Counter) x).getValue() >= 1);
            Map<String, MetricFamily> c = PrometheusText.scrape("127.0.0.1:" + coordinatorMetrics);
            assertThat(((Counter) c.get("undermoon_coordinator_migrations_committed_total").getMetrics().get(0)).getValue())
                    .isPositive();
            assertThat(c.get("undermoon_coordinator_failovers_finished_total").getMetrics())
                    .anyMatch(x -> x.getLabels().get("outcome").equals("done") && ((Counter) x).getValue() >= 1);
        }
    }
}
