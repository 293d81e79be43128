package io.undermoon.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import io.undermoon.process.ChildProcesses;
import io.undermoon.process.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coordinator as a program: config file plus environment, admin port, SIGTERM. */
class CoordinatorProcessIT {

    private static Process start(Path conf, Path log, Map<String, String> env) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                CoordinatorMain.class.getName(), conf.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.toUpperCase().startsWith("UNDERMOON_"));
        pb.environment().putAll(env);
        return ChildProcesses.register(pb.start());
    }

    @Test
    void runsFromItsConfigFileUntilSigterm(@TempDir Path dir) throws Exception {
        int port = FreePorts.next();
        String broker = "127.0.0.1:" + FreePorts.next(); // nobody listens: the loops report errors and go on
        Path conf = dir.resolve("coordinator.toml");
        Files.writeString(conf, "address = \"127.0.0.1:" + port + "\"\nbroker_address = [\"" + broker + "\"]\n"
                + "reporter_id = \"from-file\"\n");
        Path log = dir.resolve("coordinator.log");
        Process p = start(conf, log, Map.of("UNDERMOON_REPORTER_ID", "from-env", "UNDERMOON_LOG_LEVEL", "INFO"));
        try {
            RespReply reporter = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (reporter == null && System.nanoTime() < deadline) {
                assertThat(p.isAlive()).as("coordinator exited early: %s", Files.readString(log)).isTrue();
                try (BlockingRespClient c = BlockingRespClient.connect("127.0.0.1", port, Duration.ofSeconds(1))) {
                    reporter = c.command("CONFIG", "GET", "reporter_id");
                    assertThat(c.command("CONFIG", "GET", "brokers")).isEqualTo(RespReply.bulk(broker));
                } catch (IOException e) {
                    Thread.sleep(100);
                }
            }
            assertThat(reporter).isEqualTo(RespReply.bulk("from-env"));
            Thread.sleep(500); // a few rounds against the missing broker
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(log);
            assertThat(output).contains("coordinator started").contains("coordinator from-env stopped");
            // the unreachable broker is logged once per loop and problem, not every round
            long lines = output.lines().filter(l -> l.contains("detection: listing the proxies")).count();
            assertThat(lines).as(output).isEqualTo(1);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aBadConfigStopsWithAnErrorNamingTheKey(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("coordinator.toml");
        Files.writeString(conf, "address = \"127.0.0.1:0\"\nping_attempts = 0\n");
        Path log = dir.resolve("coordinator.log");
        Process p = start(conf, log, Map.of());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(log)).contains("undermoon coordinator: invalid field ping_attempts");
    }
}
