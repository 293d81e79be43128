package io.undermoon.cli.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.model.Json;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.process.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code undermoon ctl} against a real broker started in-process: output, --json, errors and exit codes. */
class CtlIT {
    private MemBroker broker;

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return Json.mapper().readTree(out);
        }
    }

    @BeforeEach
    void start() throws Exception {
        broker = MemBroker.start(BrokerConfig.from(ConfigSource.of(Map.of("address", "127.0.0.1:0"))));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    static Run ctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new CtlCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private Run at(String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--broker");
        a.add(broker.address());
        return ctl(a.toArray(String[]::new));
    }

    private void addProxies(int n) {
        for (int k = 0; k < n; k++) {
            Run r = at("proxy", "add", "127.0.0.1:" + (6000 + k), "127.0.0.1:" + (7000 + 2 * k), "127.0.0.1:" + (7001 + 2 * k),
                    "--host", "host" + (k % 2));
            assertThat(r.code()).as(r.err()).isZero();
        }
    }

    @Test
    void managesClustersAndProxiesAndShowsTheStatus() throws Exception {
        addProxies(4);
        Run create = at("cluster", "create", "mycluster", "4");
        assertThat(create.code()).as(create.err()).isZero();
        assertThat(create.out()).contains("cluster mycluster created with 4 nodes");

        Run status = at("status");
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("1 clusters, 4 proxies (2 free, 0 failed) on 2 hosts")
                .containsPattern("mycluster\\s+\\d+\\s+4\\s+2\\s+16384/16384\\s+none")
                .contains("0-8191").contains("8192-16383").contains("failed proxies: none");

        JsonNode js = at("status", "--json").json();
        assertThat(js.get("clusters").get(0).get("covered_slots").asInt()).isEqualTo(16384);
        assertThat(js.get("clusters").get(0).get("masters")).hasSize(2);

        JsonNode list = at("proxy", "list", "--json").json();
        assertThat(list).hasSize(4);
        assertThat(at("proxy", "list").out()).containsPattern("127.0.0.1:6000\\s+host0\\s+(used|free)");

        assertThat(at("epoch").out().strip()).isEqualTo(Long.toString(broker.snapshot().globalEpoch()));
        assertThat(at("epoch", "--json").json().get("global_epoch").asLong()).isEqualTo(broker.snapshot().globalEpoch());

        Run set = at("config", "set", "mycluster", "migration_scan_count", "32");
        assertThat(set.code()).as(set.err()).isZero();
        assertThat(at("config", "get", "mycluster", "--json").json().get("migration_scan_count").asText()).isEqualTo("32");
        Run badSet = at("config", "set", "mycluster", "no_such_field", "1");
        assertThat(badSet.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(badSet.err().strip()).startsWith("undermoon ctl: broker " + broker.address() + " refused PATCH")
                .contains("INVALID_CONFIG").doesNotContain("Exception").doesNotContain("\n");

        String member = broker.snapshot().clusters().get("mycluster").proxyAddresses().get(0);
        assertThat(broker.service()).isNotNull();
        broker.service().addFailure(member, "coordinator-x");
        Run failures = at("failures");
        assertThat(failures.out()).containsPattern(member.replace(".", "\\.") + "\\s+coordinator-x\\s+yes\\s+no");

        Run removeUsed = at("proxy", "remove", member);
        assertThat(removeUsed.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(removeUsed.err()).contains("HTTP 409");

        assertThat(at("cluster", "delete", "mycluster").code()).isZero();
        assertThat(broker.snapshot().clusters()).isEmpty();
        assertThat(at("proxy", "remove", member).code()).isZero();
        assertThat(broker.snapshot().allProxies()).doesNotContainKey(member);
    }

    @Test
    void errorsAreOneLineWithTheirExitCode() throws Exception {
        Run unknown = at("cluster", "delete", "nosuchcluster");
        assertThat(unknown.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(unknown.err()).contains("CLUSTER_NOT_FOUND").hasLineCount(1);

        Run scaleUnknown = at("cluster", "scale", "nosuchcluster", "8");
        assertThat(scaleUnknown.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(scaleUnknown.err()).contains("no cluster named 'nosuchcluster'").hasLineCount(1);

        // --wait on create: these proxies do not exist, so it times out with exit 4 (the cluster exists)
        addProxies(4);
        long t = System.nanoTime();
        Run wait = at("cluster", "create", "waited", "4", "--wait", "--wait-timeout", "1");
        assertThat(wait.code()).isEqualTo(ExitCodes.WAIT_TIMEOUT);
        assertThat(wait.err()).contains("do not all serve epoch").hasLineCount(1);
        assertThat((System.nanoTime() - t) / 1_000_000).isLessThan(15_000);
        assertThat(broker.snapshot().clusters()).containsKey("waited");

        Run usage = at("cluster", "create", "x", "notanumber");
        assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(ctl("status", "--broker", "not an address").code()).isEqualTo(ExitCodes.USAGE);

        int closed = FreePorts.next();
        long t0 = System.nanoTime();
        Run down = ctl("status", "--broker", "127.0.0.1:" + closed, "--timeout", "2");
        assertThat(down.code()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(down.err().strip()).isEqualTo("undermoon ctl: cannot connect to the broker at 127.0.0.1:" + closed
                + " (nothing listening there?); set --broker or UNDERMOON_BROKER_ADDRESS");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);

        // a socket that accepts but never answers: the call times out within --timeout
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            t0 = System.nanoTime();
            Run hung = ctl("epoch", "--broker", "127.0.0.1:" + silent.getLocalPort(), "--timeout", "1");
            assertThat(hung.code()).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(hung.err()).contains("did not answer").hasLineCount(1);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
        }
    }

    @Test
    void completionIsGenerated() {
        StringWriter out = new StringWriter();
        CommandLine root = new CommandLine(new io.undermoon.cli.Main());
        root.setOut(new PrintWriter(out, true));
        assertThat(root.execute("ctl", "generate-completion")).isZero();
        assertThat(out.toString()).contains("complete -F").contains("ctl");
    }
}
