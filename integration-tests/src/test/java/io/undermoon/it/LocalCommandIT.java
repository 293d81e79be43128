package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.process.ChildProcesses;
import io.undermoon.process.Repository;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** As a new user: {@code ./undermoon local}, then {@code redis-cli -c -p <printed port>}. */
class LocalCommandIT {

    @Test
    void localPrintsAPortThatServesKeysOfEverySlot(@TempDir Path dir) throws Exception {
        List<String> seen = runLocal(dir);
        assertThat(seen).filteredOn(l -> l.startsWith("broker:")).hasSize(1);
    }

    /** {@code ./undermoon local --etcd}: 3 etcd members and 3 brokers; SIGTERM stops every one of them too. */
    @Test
    void localOnEtcdRunsThreeBrokersAndStopsEverything(@TempDir Path dir) throws Exception {
        List<String> seen = runLocal(dir, "--etcd");
        assertThat(seen).filteredOn(l -> l.startsWith("broker:")).hasSize(3);
        assertThat(seen).anyMatch(l -> l.startsWith("etcd:") && l.contains("(prefix /undermoon)"));
    }

    /** Runs {@code ./undermoon local}, uses the printed port, stops it; returns what it printed up to the port. */
    private static List<String> runLocal(Path dir, String... extra) throws Exception {
        Path root = Repository.root();
        List<String> command = new ArrayList<>(List.of(root.resolve("undermoon").toString(), "local", "--data-dir", dir.toString()));
        command.addAll(List.of(extra));
        Process local = ChildProcesses.register(new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(local.getInputStream(), StandardCharsets.UTF_8));
            Pattern connect = Pattern.compile("redis-cli -c -p (\\d+)");
            String port = null;
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            String line;
            while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
                seen.add(line);
                Matcher m = connect.matcher(line);
                if (m.find()) {
                    port = m.group(1);
                }
                if (line.startsWith("Ctrl-C stops everything")) {
                    break;
                }
            }
            assertThat(port).as("the printed port; output was:\n" + String.join("\n", seen)).isNotNull();
            Thread drain = Thread.ofVirtual().start(() -> {
                try {
                    out.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException ignored) {
                    // process ended
                }
            });
            for (int i = 0; i < 20; i++) {
                assertThat(cli("-c", "-p", port, "SET", "user:" + i, "v" + i)).isEqualTo("OK");
            }
            for (int i = 0; i < 20; i++) {
                assertThat(cli("-c", "-p", port, "GET", "user:" + i)).isEqualTo("v" + i);
            }
            local.destroy(); // Ctrl-C / SIGTERM stops everything
            assertThat(local.waitFor(60, TimeUnit.SECONDS)).isTrue();
            drain.join(5000);
            assertThat(local.toHandle().descendants().filter(ProcessHandle::isAlive).count()).isZero();
            return seen;
        } finally {
            local.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            local.destroyForcibly();
        }
    }

    private static String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("redis-cli");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
