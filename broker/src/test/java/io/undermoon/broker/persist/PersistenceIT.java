package io.undermoon.broker.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.undermoon.broker.BrokerStartException;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.service.ProxyEpochReader;
import io.undermoon.broker.testing.ApiClient;
import io.undermoon.broker.testing.ApiClient.Reply;
import io.undermoon.broker.testing.Brokers;
import io.undermoon.model.Json;
import io.undermoon.model.broker.MetaStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The meta file: recovery at start, automatic and periodic writes, failed writes, bad files. */
class PersistenceIT {
    @TempDir
    Path dir;

    private Map<String, Object> fileConfig(Path file, boolean auto, long interval) {
        Map<String, Object> m = new HashMap<>();
        m.put("recover_from_meta_file", true);
        m.put("meta_filename", file.toString());
        m.put("auto_update_meta_file", auto);
        m.put("update_meta_file_interval", interval);
        return m;
    }

    private static void populate(ApiClient api) {
        for (int i = 0; i < 6; i++) {
            Reply r = api.addProxy("127.0.0.1:" + (6000 + i), "127.0.0.1:" + (7000 + 2 * i), "127.0.0.1:" + (7001 + 2 * i), "h" + (i % 3));
            assertThat(r.status()).isEqualTo(200);
        }
        assertThat(api.post("/clusters/meta/one", "{\"node_number\": 4}").status()).isEqualTo(200);
        assertThat(api.patch("/clusters/nodes/one", "{\"node_number\": 4}").status()).isEqualTo(200);
        assertThat(api.post("/clusters/migrations/expand/one").status()).isEqualTo(200);
        assertThat(api.post("/failures/127.0.0.1:6005/reporter").status()).isEqualTo(200);
    }

    @Test
    void aRestartedBrokerHasTheSameMetadata() {
        Path file = dir.resolve("metadata");
        String before;
        try (MemBroker b = Brokers.start(fileConfig(file, true, 0)); ApiClient api = new ApiClient(b.address())) {
            populate(api);
            before = api.get("/metadata").text();
            assertThat(file).exists();
        }
        try (MemBroker b = Brokers.start(fileConfig(file, true, 0)); ApiClient api = new ApiClient(b.address())) {
            assertThat(api.get("/metadata").text()).isEqualTo(before);
            assertThat(api.get("/clusters/info/one").json().get("is_migrating").asBoolean()).isTrue();
        }
        try (MemBroker b = Brokers.start(Map.of("meta_filename", file.toString())); ApiClient api = new ApiClient(b.address())) {
            assertThat(api.get("/epoch").json().asLong()).as("recover_from_meta_file defaults to false").isZero();
        }
    }

    @Test
    void periodicWritesAndTheFinalWriteOnClose() throws Exception {
        Path file = dir.resolve("periodic");
        try (MemBroker b = Brokers.start(fileConfig(file, false, 1)); ApiClient api = new ApiClient(b.address())) {
            populate(api);
            String now = api.get("/metadata").text();
            await().atMost(Duration.ofSeconds(5)).until(() -> Files.exists(file) && Files.readString(file).equals(now));
            assertThat(api.post("/clusters/meta/two", "{\"node_number\": 4}").status()).isEqualTo(409); // no free proxies
            assertThat(api.put("/epoch/1000").status()).isEqualTo(200);
        }
        MetaStore last = Json.mapper().readValue(Files.readString(file), MetaStore.class);
        assertThat(last.globalEpoch()).as("written at close").isEqualTo(1000);
    }

    @Test
    void aFailedWriteAnswersPersistenceIoErrorAndChangesNothing() throws IOException {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        Map<String, Object> cfg = fileConfig(notADir.resolve("metadata"), true, 0);
        cfg.put("recover_from_meta_file", false);
        try (MemBroker b = Brokers.start(cfg); ApiClient api = new ApiClient(b.address())) {
            String before = api.get("/metadata").text();
            Reply r = api.addProxy("127.0.0.1:6000", "127.0.0.1:7000", "127.0.0.1:7001", null);
            assertThat(r.status()).isEqualTo(500);
            assertThat(r.error()).isEqualTo("PERSISTENCE_IO_ERROR");
            assertThat(api.get("/metadata").text()).isEqualTo(before);
            assertThat(api.get("/proxies/addresses").json().get("addresses")).isEmpty();
        }
    }

    @Test
    void unusableFilesStopTheStart() throws IOException {
        Path corrupt = Files.writeString(dir.resolve("corrupt"), "{\"version\": \"mem-broker-0.2\", \"global_ep");
        assertThatThrownBy(() -> start(fileConfig(corrupt, true, 0))).isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("corrupt");
        Path old = Files.writeString(dir.resolve("old"), Json.mapper().writeValueAsString(MetaStore.empty(false))
                .replace("mem-broker-0.2", "mem-broker-0.1"));
        assertThatThrownBy(() -> start(fileConfig(old, true, 0))).isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("INVALID_META_VERSION");
    }

    @Test
    void startupCleansCrashLeftoversAndTheFileWinsOverTheOrderedFlag() throws Exception {
        Path file = dir.resolve("metadata");
        Files.writeString(file, Json.mapper().writeValueAsString(MetaStore.empty(true)));
        Path leftover = Files.writeString(dir.resolve("metadata-123456.tmp"), "{\"partial");
        Path unrelated = Files.writeString(dir.resolve("metadata-notes.txt"), "keep me");
        try (MemBroker b = start(fileConfig(file, true, 0))) {
            assertThat(b.snapshot().enableOrderedProxy()).isTrue();
            assertThat(leftover).doesNotExist();
            assertThat(unrelated).exists();
        }
    }

    private static MemBroker start(Map<String, Object> cfg) throws BrokerStartException {
        var c = Brokers.config(cfg);
        return MemBroker.start(c, ProxyEpochReader.resp(c.proxyEpochTimeout()), Clock.systemUTC());
    }
}
