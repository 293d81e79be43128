package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.broker.BrokerStartException;
import io.undermoon.broker.MemBroker;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.coordinator.Coordinator;
import io.undermoon.coordinator.CoordinatorConfig;
import io.undermoon.coordinator.CoordinatorStartException;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ServerProxy;
import io.undermoon.testkit.Resp;
import io.undermoon.testsupport.fuzz.HangGuard;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * A setting the loader accepts must also be one the program can run with: each try gives one
 * program extreme values (the largest integers, 2^31, nanosecond-overflowing durations) for a few
 * of its numeric settings; if the config loads, the program must start, serve one request and
 * stop within a deadline, failing (if at all) only with its documented start exception, never with
 * an arithmetic overflow or by allocating an array of the configured size.
 *
 * <p>Each try starts a program, so the number of tries is fixed and small.
 */
class ExtremeSettingsFuzzIT {
    private static final HangGuard GUARD = new HangGuard("extreme-settings", Duration.ofSeconds(60));
    private static final List<String> EXTREMES = List.of("0", "1", "65536", "1000000", "2147483647", "2147483648",
            "4294967296", "9223372036", "9223372037", "9223372036854", "9223372036855", "9223372036854775", "9223372036854775807");
    private static final Map<String, List<String>> NUMERIC_KEYS = Map.of(
            "proxy", List.of("slowlog_len", "slowlog_log_slower_than", "slowlog_sample_rate", "thread_number", "backend_conn_num",
                    "session_timeout", "backend_timeout", "max_pending_commands", "max_array_length", "max_bulk_length",
                    "max_inline_length", "replication_interval", "max_redirections", "backend_flush_size",
                    "max_transaction_commands", "max_transaction_bytes", "pubsub_output_buffer_limit"),
            "broker", List.of("failure_ttl", "failure_quorum", "migration_limit", "update_meta_file_interval",
                    "sync_meta_interval", "max_body_size", "proxy_epoch_timeout_ms", "auto_scale_poll_interval_ms",
                    "auto_scale_max_failed_attempts", "auto_scale_timeout", "replica_push_timeout_ms", "refresh_interval",
                    "migration_max_migration_time", "migration_max_blocking_time", "migration_scan_interval",
                    "migration_scan_count"),
            "coordinator", List.of("thread_number", "proxy_timeout", "loop_interval_ms", "ping_timeout_ms", "ping_attempts",
                    "broker_timeout_ms", "admin_session_timeout", "detection_interval_ms", "sync_interval_ms"));
    private static Path dir;

    record Settings(String program, Map<String, String> values) {}

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("undermoon-extreme-settings");
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        GUARD.close();
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Property(tries = 100)
    void acceptedSettingsLetTheProgramStartServeAndStop(@ForAll("settings") Settings settings) throws Exception {
        Map<String, Object> values = new HashMap<>(settings.values());
        values.put("address", "127.0.0.1:0");
        values.put("meta_filename", dir.resolve("metadata").toString());
        values.put("storage_type", "memory");
        values.put("replica_addresses", "");
        values.put("broker_address", "127.0.0.1:1");
        ConfigSource src = ConfigSource.of(values);
        String outcome = GUARD.call(settings, () -> switch (settings.program()) {
            case "proxy" -> runProxy(src);
            case "broker" -> runBroker(src);
            default -> runCoordinator(src);
        });
        Statistics.label(settings.program()).collect(outcome);
    }

    private static String runProxy(ConfigSource src) throws Exception {
        ProxyConfig config;
        try {
            config = ProxyConfig.load(src);
        } catch (ConfigException refused) {
            return "refused";
        }
        ServerProxy proxy = ServerProxy.start(config);
        try {
            // +PONG, or a protocol error when the limits are too small for "PING" itself
            assertThat(Resp.command("127.0.0.1", proxy.port(), "PING")).asString().matches("\\+PONG|-ERR Protocol error: .*");
        } finally {
            proxy.close();
        }
        return "started";
    }

    private static String runBroker(ConfigSource src) throws Exception {
        BrokerConfig config;
        try {
            config = BrokerConfig.from(src);
        } catch (ConfigException refused) {
            return "refused";
        }
        MemBroker broker;
        try {
            broker = MemBroker.start(config);
        } catch (BrokerStartException documented) {
            return "start failed: " + documented.getMessage();
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String path : List.of("/api/v3/failures", "/api/v3/metadata")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + broker.address() + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(200);
            }
        } finally {
            broker.close();
        }
        return "started";
    }

    private static String runCoordinator(ConfigSource src) throws Exception {
        CoordinatorConfig config;
        try {
            config = CoordinatorConfig.from(src);
        } catch (ConfigException refused) {
            return "refused";
        }
        Coordinator coordinator;
        try {
            coordinator = Coordinator.start(config);
        } catch (CoordinatorStartException documented) {
            return "start failed: " + documented.getMessage();
        }
        try {
            String admin = coordinator.adminAddress();
            assertThat(Resp.command(admin, "PING")).as("the admin API answers").isNotNull();
        } finally {
            coordinator.close();
        }
        return "started";
    }

    @Provide
    Arbitrary<Settings> settings() {
        return Arbitraries.of(NUMERIC_KEYS.keySet()).flatMap(program -> Arbitraries.maps(
                        Arbitraries.of(NUMERIC_KEYS.get(program)), Arbitraries.of(EXTREMES)).ofMinSize(1).ofMaxSize(2)
                .map(values -> new Settings(program, values)));
    }
}
