package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.undermoon.broker.config.BrokerConfig;
import io.undermoon.coordinator.CoordinatorConfig;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.process.Repository;
import io.undermoon.testsupport.fuzz.ByteMutator;
import io.undermoon.testsupport.fuzz.HangGuard;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing of configuration loading for all three programs: the shipped {@code conf/*.toml} files
 * mutated byte by byte, random TOML documents over the real keys with values of every TOML type,
 * and random {@code UNDERMOON_*} environments, loaded with {@link ConfigSource#load} and then read by
 * {@link ProxyConfig#load}, {@link BrokerConfig#from} and {@link CoordinatorConfig#from}.
 *
 * <p>Only {@link ConfigException} (with a message) may escape, within a deadline; and when a program
 * accepts an integer setting, its value is exactly the one written (no truncated float, no wrapped
 * big integer), while a table or an array given for a text setting is refused.
 */
class ConfigFuzzProperties {
    private static final HangGuard GUARD = new HangGuard("config", Duration.ofSeconds(10));
    private static final TomlMapper TOML = new TomlMapper();
    private static final ByteMutator MUTATOR = new ByteMutator(List.of("=", " = ", "\n", "[", "]", "[[", "]]", "{", "}",
            "\"", "'", "'''", "\"\"\"", "#", ",", ".", "\\", "\\u0000", "\\U0010FFFF", "\\uD800", "\\x41", "1979-05-27T07:32:00Z",
            "07:32:00", "inf", "-inf", "nan", "+inf", "0x7f", "0o777", "0b101", "1_000", "1e400", "1.5", "true", "false",
            "[a]", "[a.b]", "a.b.c", "\"quoted key\"", "\u00ff", "\u0000", "\r\n", "="));
    private static List<String> seeds;
    private static List<String> keys;
    private static Path dir;

    @BeforeContainer
    static void readSeeds() throws IOException {
        Path conf = Repository.root().resolve("conf");
        seeds = new ArrayList<>();
        List<String> found = new ArrayList<>();
        Pattern key = Pattern.compile("(?m)^#? ?([a-z_]+) = ");
        for (String name : List.of("server-proxy.toml", "mem-broker.toml", "coordinator.toml")) {
            String text = Files.readString(conf.resolve(name));
            seeds.add(text);
            Matcher m = key.matcher(text);
            while (m.find()) {
                if (!found.contains(m.group(1))) {
                    found.add(m.group(1));
                }
            }
        }
        keys = List.copyOf(found);
        assertThat(keys).contains("address", "thread_number", "failure_ttl", "broker_address", "max_bulk_length");
        dir = Files.createTempDirectory("undermoon-config-fuzz");
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        GUARD.close();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Property
    void mutatedShippedConfigFiles(@ForAll @IntRange(min = 0, max = 2) int which, @ForAll @IntRange(min = 1, max = 8) int edits,
            @ForAll long seed, @ForAll("environments") Map<String, String> env) throws Exception {
        byte[] file = MUTATOR.mutate(seeds.get(which).getBytes(StandardCharsets.UTF_8), new Random(seed), edits);
        check(file, env);
    }

    @Property
    void randomTomlDocuments(@ForAll("documents") String toml, @ForAll("environments") Map<String, String> env) throws Exception {
        check(toml.getBytes(StandardCharsets.UTF_8), env);
    }

    @Property
    void randomEnvironmentsWithoutAFile(@ForAll("environments") Map<String, String> env) throws Exception {
        check(null, env);
    }

    /** Loads the file (null: none) and the environment, then every program's config. */
    private static void check(byte[] file, Map<String, String> env) throws Exception {
        Optional<Path> path = Optional.empty();
        if (file != null) {
            Path p = dir.resolve("fuzz.toml");
            Files.write(p, file);
            path = Optional.of(p);
        }
        Optional<Path> configFile = path;
        // statistics may only be collected on jqwik's thread: the guarded work returns the outcomes
        Map<String, String> outcomes = GUARD.call(env, () -> {
            Map<String, String> out = new LinkedHashMap<>();
            ConfigSource src;
            try {
                src = ConfigSource.load(configFile, env);
            } catch (ConfigException e) {
                assertThat(e.getMessage()).isNotBlank();
                out.put("file", "refused");
                return out;
            }
            out.put("file", "loaded");
            Map<String, Object> raw = rawValues(file, env);
            ProxyConfig proxy = loadOrRefuse("proxy", () -> ProxyConfig.load(src), out);
            BrokerConfig broker = loadOrRefuse("broker", () -> BrokerConfig.from(src), out);
            CoordinatorConfig coordinator = loadOrRefuse("coordinator", () -> CoordinatorConfig.from(src), out);
            if (proxy != null) {
                checkIntegers(raw, proxy, PROXY_INTEGERS);
                checkTexts(raw, List.of("address", "announce_address", "password", "backend_batch_strategy",
                        "cluster_nodes_version", "default_redirection_address", "metrics_address"));
            }
            if (broker != null) {
                checkIntegers(raw, broker, BROKER_INTEGERS);
                checkTexts(raw, List.of("address", "storage_type", "meta_filename", "http_storage_address", "storage_name",
                        "storage_password", "compression_strategy", "migration_max_migration_time"));
            }
            if (coordinator != null) {
                checkIntegers(raw, coordinator, COORDINATOR_INTEGERS);
                checkTexts(raw, List.of("address", "reporter_id"));
            }
            return out;
        });
        outcomes.forEach((what, outcome) -> Statistics.label(what).collect(outcome));
    }

    private interface Load<T> {
        T run() throws ConfigException;
    }

    private static <T> T loadOrRefuse(String program, Load<T> load, Map<String, String> outcomes) {
        try {
            T config = load.run();
            outcomes.put(program, "accepted");
            return config;
        } catch (ConfigException e) {
            assertThat(e.getMessage()).as(program).isNotBlank();
            outcomes.put(program, "refused");
            return null;
        }
    }

    /** An integer setting a program accepted must be exactly the integer given, never a rounded or wrapped one. */
    private static <C> void checkIntegers(Map<String, Object> raw, C config, Map<String, ToLongFunction<C>> settings) {
        settings.forEach((key, read) -> {
            if (!raw.containsKey(key)) {
                return;
            }
            Object given = raw.get(key);
            BigInteger exact = exactInteger(given);
            assertThat(exact).as("%s = %s (%s) was accepted but is not an integer", key, given,
                    given == null ? null : given.getClass().getSimpleName()).isNotNull();
            assertThat(BigInteger.valueOf(read.applyAsLong(config))).as("%s = %s", key, given).isEqualTo(exact);
        });
    }

    /** A table or an array is not text: a program that accepted the config must not have read one as text. */
    private static void checkTexts(Map<String, Object> raw, List<String> keys) {
        for (String key : keys) {
            Object given = raw.get(key);
            assertThat(given instanceof Map || given instanceof List).as("%s = %s accepted as text", key, given).isFalse();
        }
    }

    private static BigInteger exactInteger(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return BigInteger.valueOf(((Number) v).longValue());
        }
        if (v instanceof BigInteger b) {
            return b;
        }
        if (v instanceof String s) {
            try {
                return new BigInteger(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** The values as the programs should see them: the TOML document, overlaid by the environment. */
    private static Map<String, Object> rawValues(byte[] file, Map<String, String> env) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        if (file != null) {
            Map<String, Object> parsed = TOML.readValue(new String(file, StandardCharsets.UTF_8),
                    new TypeReference<Map<String, Object>>() {});
            parsed.forEach((k, v) -> values.put(k.toLowerCase(Locale.ROOT), v));
        }
        env.forEach((k, v) -> {
            if (k.length() > ConfigSource.ENV_PREFIX.length() && k.regionMatches(true, 0, ConfigSource.ENV_PREFIX, 0,
                    ConfigSource.ENV_PREFIX.length())) {
                values.put(k.substring(ConfigSource.ENV_PREFIX.length()).toLowerCase(Locale.ROOT), v);
            }
        });
        return values;
    }

    private static final Map<String, ToLongFunction<ProxyConfig>> PROXY_INTEGERS = Map.ofEntries(
            Map.entry("thread_number", ProxyConfig::threadNumber),
            Map.entry("backend_conn_num", ProxyConfig::backendConnNum),
            Map.entry("slowlog_len", ProxyConfig::slowlogLen),
            Map.entry("session_timeout", ProxyConfig::sessionTimeout),
            Map.entry("backend_timeout", ProxyConfig::backendTimeout),
            Map.entry("max_pending_commands", ProxyConfig::maxPendingCommands),
            Map.entry("max_array_length", ProxyConfig::maxArrayLength),
            Map.entry("max_bulk_length", ProxyConfig::maxBulkLength),
            Map.entry("max_inline_length", ProxyConfig::maxInlineLength),
            Map.entry("replication_interval", ProxyConfig::replicationInterval),
            Map.entry("max_transaction_commands", ProxyConfig::maxTransactionCommands),
            Map.entry("max_transaction_bytes", ProxyConfig::maxTransactionBytes),
            Map.entry("pubsub_output_buffer_limit", ProxyConfig::pubsubOutputBufferLimit));

    private static final Map<String, ToLongFunction<BrokerConfig>> BROKER_INTEGERS = Map.of(
            "failure_ttl", c -> c.failureTtl().toSeconds(),
            "failure_quorum", BrokerConfig::failureQuorum,
            "migration_limit", BrokerConfig::migrationLimit,
            "max_body_size", BrokerConfig::maxBodySize,
            "auto_scale_max_failed_attempts", BrokerConfig::autoScaleMaxFailedAttempts,
            "proxy_epoch_timeout_ms", c -> c.proxyEpochTimeout().toMillis(),
            "refresh_interval", c -> c.refreshInterval().toSeconds());

    private static final Map<String, ToLongFunction<CoordinatorConfig>> COORDINATOR_INTEGERS = Map.of(
            "thread_number", CoordinatorConfig::threadNumber,
            "ping_attempts", CoordinatorConfig::pingAttempts,
            "proxy_timeout", c -> c.proxyTimeout().toSeconds(),
            "ping_timeout_ms", c -> c.pingTimeout().toMillis(),
            "broker_timeout_ms", c -> c.brokerTimeout().toMillis());

    // ---- generators ----------------------------------------------------------------------------

    /** A value in TOML syntax, of any type, biased towards the edges of each. */
    static Arbitrary<String> tomlValues() {
        Arbitrary<String> numbers = Arbitraries.of(ByteMutator.INTERESTING_NUMBERS).filter(n -> !n.equals("\u0661"));
        Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars('\u00e9', '\u540d').ofMaxLength(16)
                .map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        Arbitrary<String> quotedNumbers = numbers.map(n -> "\"" + n + "\"");
        Arbitrary<String> special = Arbitraries.of("true", "false", "inf", "nan", "-inf", "1.5", "2.0", "1e3", "1e400", "-0.0",
                "0x7fffffffffffffff", "0xffffffffffffffff", "0o777", "0b11", "1_000", "1979-05-27", "1979-05-27T07:32:00Z",
                "07:32:00", "\"\"", "\"127.0.0.1:5299\"", "\"0.0.0.0:0\"", "\"[::1]:7799\"", "\"host:99999\"", "\"a:1,b:2\"",
                "\"\\u0000\"", "\"a\\u0000b\"", "\"\\U0001F600\"", "'''multi\nline'''", "\"\"\"x\ny\"\"\"", "\"disabled\"",
                "\"set_get_only\"", "\"memory\"", "\"http\"", "\"v1\"", "\"v2\"", "\"dynamic\"");
        Arbitrary<String> scalars = Arbitraries.frequencyOf(Tuple.of(3, numbers), Tuple.of(2, text), Tuple.of(2, quotedNumbers),
                Tuple.of(3, special));
        Arbitrary<String> arrays = scalars.list().ofMaxSize(3).map(l -> "[" + String.join(", ", l) + "]");
        Arbitrary<String> tables = Combinators.combine(Arbitraries.of("a", "b", "address"), scalars)
                .as((k, v) -> "{" + k + " = " + v + "}");
        return Arbitraries.frequencyOf(Tuple.of(8, scalars), Tuple.of(1, arrays), Tuple.of(1, tables));
    }

    @Provide
    Arbitrary<String> documents() {
        Arbitrary<String> key = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.of(keys)),
                Tuple.of(1, Arbitraries.of("Address", "THREAD_NUMBER", "\"thread_number\"", "a.b", "unknown_key", "x")));
        Arbitrary<String> line = Arbitraries.frequencyOf(
                Tuple.of(10, Combinators.combine(key, tomlValues()).as((k, v) -> k + " = " + v)),
                Tuple.of(1, Arbitraries.of("[section]", "[[list]]", "# comment", "", "[address]", "thread_number =")));
        return line.list().ofMaxSize(12).map(lines -> String.join("\n", lines) + "\n");
    }

    @Provide
    Arbitrary<Map<String, String>> environments() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(keys).map(k -> "UNDERMOON_" + k.toUpperCase(Locale.ROOT))),
                Tuple.of(1, Arbitraries.of(keys).map(k -> "undermoon_" + k)),
                Tuple.of(1, Arbitraries.of("UNDERMOON_", "UNDERMOON", "PATH", "HOME", "UNDERMOON_X")));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(ByteMutator.INTERESTING_NUMBERS)),
                Tuple.of(2, Arbitraries.of("", " ", " 7 ", "true", "yes", "off", "maybe", "1.0", "127.0.0.1:0", "a:1,b:2", ",",
                        "0.0.0.0:0", "localhost:5299", "v1", "allow_all", "http", "x".repeat(300), "\u0000", "a\u0000b")),
                Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
        return Arbitraries.maps(name, value).ofMaxSize(5);
    }
}
