package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undermoon.process.ChildProcesses;
import io.undermoon.process.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walk-through of undermoon's "set up manually" guide, done with curl against
 * {@code ./undermoon broker} started as a process: register two proxies on hosts localhost1 and
 * localhost2, create {@code mycluster} with 4 nodes, read it back; then restart the broker and
 * read the same metadata from its meta file.
 */
class BrokerSetupGuideIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Process broker;
    private int port;

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("undermoon"))) {
            p = p.getParent();
        }
        assertThat(p).as("the repository root with the ./undermoon launcher").isNotNull();
        return p;
    }

    @BeforeEach
    void startBroker() throws Exception {
        port = FreePorts.next();
        Files.writeString(dir.resolve("mem-broker.toml"), """
                address = "127.0.0.1:%d"
                recover_from_meta_file = true
                auto_update_meta_file = true
                meta_filename = "%s"
                """.formatted(port, dir.resolve("metadata")));
        launch();
    }

    private void launch() throws Exception {
        Path root = repoRoot();
        ProcessBuilder pb = new ProcessBuilder(root.resolve("undermoon").toString(), "broker", dir.resolve("mem-broker.toml").toString())
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
        broker = ChildProcesses.register(pb.start());
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos(); // the launcher may build first
        while (System.nanoTime() < deadline) {
            assertThat(broker.isAlive()).as("broker exited: " + Files.readString(dir.resolve("broker.log"))).isTrue();
            if (curl("-s", "-o", "/dev/null", "-w", "%{http_code}", url("/version")).equals("200")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("broker did not start: " + Files.readString(dir.resolve("broker.log")));
    }

    @AfterEach
    void stopBroker() throws Exception {
        stop();
    }

    private void stop() throws InterruptedException {
        if (broker != null && broker.isAlive()) {
            broker.toHandle().descendants().forEach(ProcessHandle::destroy);
            broker.destroy(); // SIGTERM: clean shutdown
            if (!broker.waitFor(20, TimeUnit.SECONDS)) {
                broker.destroyForcibly();
            }
        }
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + "/api/v3" + path;
    }

    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }

    /** curl -XMETHOD -H 'Content-Type: application/json' URL -d BODY, returning "body\nstatus". */
    private String[] call(String method, String path, String body) throws Exception {
        List<String> args = new ArrayList<>(List.of("-s", "-X" + method, "-w", "\n%{http_code}"));
        if (body != null) {
            args.addAll(List.of("-H", "Content-Type: application/json", "-d", body));
        }
        args.add(url(path));
        String out = curl(args.toArray(String[]::new));
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(0, nl), out.substring(nl + 1)};
    }

    @Test
    void registerTwoProxiesCreateMyclusterAndReadItBack() throws Exception {
        String[] r1 = call("POST", "/proxies/meta", "{\"proxy_address\": \"server_proxy1:6001\", \"nodes\": [\"redis1:7001\", "
                + "\"redis2:7002\"], \"host\": \"localhost1\"}");
        assertThat(r1[1]).isEqualTo("200");
        assertThat(r1[0]).isEmpty();
        String[] r2 = call("POST", "/proxies/meta", "{\"proxy_address\": \"server_proxy2:6002\", \"nodes\": [\"redis3:7003\", "
                + "\"redis4:7004\"], \"host\": \"localhost2\"}");
        assertThat(r2[1]).isEqualTo("200");
        assertThat(call("GET", "/proxies/addresses", null)[0])
                .isEqualTo("{\"addresses\":[\"server_proxy1:6001\",\"server_proxy2:6002\"]}");

        String[] created = call("POST", "/clusters/meta/mycluster", "{\"node_number\": 4}");
        assertThat(created[1]).isEqualTo("200");
        assertThat(call("GET", "/clusters/names", null)[0]).isEqualTo("{\"names\":[\"mycluster\"]}");

        String[] meta = call("GET", "/clusters/meta/mycluster", null);
        assertThat(meta[1]).isEqualTo("200");
        JsonNode cluster = JSON.readTree(meta[0]).get("cluster");
        assertThat(cluster.get("name").asText()).isEqualTo("mycluster");
        assertThat(cluster.get("epoch").asLong()).isEqualTo(3);
        JsonNode nodes = cluster.get("nodes");
        assertThat(nodes).hasSize(4);
        List<String> summary = new ArrayList<>();
        for (JsonNode n : nodes) {
            summary.add(n.get("address").asText() + " " + n.get("proxy_address").asText() + " " + n.get("repl").get("role").asText()
                    + " " + n.get("slots") + " peer=" + n.get("repl").get("peers").get(0).get("node_address").asText());
        }
        assertThat(summary).containsExactly(
                "redis1:7001 server_proxy1:6001 master [{\"range_list\":[[0,8191]],\"tag\":\"None\"}] peer=redis4:7004",
                "redis2:7002 server_proxy1:6001 replica [] peer=redis3:7003",
                "redis3:7003 server_proxy2:6002 master [{\"range_list\":[[8192,16383]],\"tag\":\"None\"}] peer=redis2:7002",
                "redis4:7004 server_proxy2:6002 replica [] peer=redis1:7001");

        JsonNode proxy = JSON.readTree(call("GET", "/proxies/meta/server_proxy1:6001", null)[0]).get("proxy");
        assertThat(proxy.get("cluster_name").asText()).isEqualTo("mycluster");
        assertThat(proxy.get("epoch").asLong()).isEqualTo(3);
        assertThat(proxy.get("peers").get(0).get("proxy_address").asText()).isEqualTo("server_proxy2:6002");
        // the reference's four fields, then ours: no proxy runs here, so no replica has reported a sync
        // and both masters have a single copy
        String info = call("GET", "/clusters/info/mycluster", null)[0];
        assertThat(info).startsWith("{\"name\":\"mycluster\",\"node_number\":4,\"node_number_with_slots\":4,\"is_migrating\":false,");
        assertThat(JSON.readTree(info).get("replicas_not_synced").toString()).isEqualTo("[{\"master\":\"redis1:7001\","
                + "\"master_proxy\":\"server_proxy1:6001\",\"replica\":\"redis4:7004\",\"replica_proxy\":\"server_proxy2:6002\"},"
                + "{\"master\":\"redis3:7003\",\"master_proxy\":\"server_proxy2:6002\",\"replica\":\"redis2:7002\","
                + "\"replica_proxy\":\"server_proxy1:6001\"}]");
        // curl --compressed asks for gzip and gets the same document
        assertThat(curl("-s", "--compressed", url("/clusters/meta/mycluster"))).isEqualTo(meta[0]);
        // errors are JSON
        assertThat(call("POST", "/clusters/meta/mycluster", "{\"node_number\": 4}")[0]).isEqualTo("{\"error\":\"ALREADY_EXISTED\"}");

        // a clean restart recovers the same metadata from the meta file
        String before = call("GET", "/metadata", null)[0];
        stop();
        assertThat(broker.exitValue()).isIn(0, 143);
        launch();
        assertThat(call("GET", "/metadata", null)[0]).isEqualTo(before);
    }
}
