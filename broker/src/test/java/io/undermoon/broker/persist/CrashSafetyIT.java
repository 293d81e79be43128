package io.undermoon.broker.persist;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.broker.BrokerMain;
import io.undermoon.broker.testing.ApiClient;
import io.undermoon.broker.testing.ApiClient.Reply;
import io.undermoon.model.broker.MetaStore;
import io.undermoon.process.ChildProcesses;
import io.undermoon.process.FreePorts;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker in its own JVM is killed with SIGKILL while it writes the meta file after every change:
 * the file must always be a complete, valid store holding every change the broker acknowledged.
 */
class CrashSafetyIT {
    @TempDir
    Path dir;

    @Test
    void killMinus9DuringWritesNeverCorruptsTheMetaFile() throws Exception {
        Path file = dir.resolve("metadata");
        int acknowledged = 0;
        for (int round = 0; round < 3; round++) {
            int port = FreePorts.next();
            Path conf = dir.resolve("broker-" + round + ".toml");
            Files.writeString(conf, """
                    address = "127.0.0.1:%d"
                    recover_from_meta_file = true
                    auto_update_meta_file = true
                    meta_filename = "%s"
                    """.formatted(port, file.toString().replace("\\", "\\\\")));
            Process broker = startBroker(conf, dir.resolve("broker-" + round + ".log"));
            try (ApiClient api = new ApiClient("127.0.0.1:" + port)) {
                awaitUp(api, broker);
                AtomicBoolean stop = new AtomicBoolean();
                AtomicInteger acked = new AtomicInteger(acknowledged);
                int base = acknowledged;
                Thread writer = Thread.ofVirtual().start(() -> {
                    for (int i = base; !stop.get(); i++) {
                        try {
                            Reply r = api.addProxy("10.0." + (i / 200) + "." + (i % 200) + ":6000", "10.1.0.1:" + (10000 + 2 * i),
                                    "10.1.0.1:" + (10001 + 2 * i), null);
                            if (r.status() != 200) {
                                return;
                            }
                            acked.set(i + 1);
                        } catch (UncheckedIOException e) {
                            return; // the broker was killed mid-request
                        }
                    }
                });
                // kill while writes are flowing: after a few acknowledged changes (a loaded machine may
                // need a while for the first), at a moment that differs per round
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (acked.get() < base + 5 && writer.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                Thread.sleep(100 + 150L * round);
                broker.destroyForcibly(); // SIGKILL
                assertThat(broker.waitFor(10, TimeUnit.SECONDS)).isTrue();
                stop.set(true);
                writer.join();
                acknowledged = acked.get();
            }
            assertThat(acknowledged).as("the writer made progress in round " + round).isGreaterThan(0);
            MetaStore store = new MetaFile(file).read().orElseThrow();
            assertThat(store.version()).isEqualTo(MetaStore.VERSION);
            assertThat(store.allProxies().size()).as("every acknowledged change is in the file").isGreaterThanOrEqualTo(acknowledged);
            assertThat(store.globalEpoch()).isEqualTo(store.allProxies().size());
            acknowledged = store.allProxies().size();
        }
        // and a broker recovers from it
        try (var recovered = io.undermoon.broker.testing.Brokers.start(java.util.Map.of("recover_from_meta_file", true,
                "meta_filename", file.toString())); ApiClient api = new ApiClient(recovered.address())) {
            assertThat(api.get("/proxies/addresses").json().get("addresses")).hasSize(acknowledged);
        }
        List<Path> leftovers = new ArrayList<>();
        try (var files = Files.list(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".tmp")).forEach(leftovers::add);
        }
        assertThat(leftovers).as("temporary files are cleaned at start").isEmpty();
    }

    private static Process startBroker(Path conf, Path log) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                BrokerMain.class.getName(), conf.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        return ChildProcesses.register(pb.start());
    }

    private static void awaitUp(ApiClient api, Process p) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("broker process exited early").isTrue();
            try {
                if (api.get("/version").status() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("broker did not start");
    }
}
