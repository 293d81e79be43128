package io.undermoon.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

    @Test
    void environmentOverridesFileAndExtensionMayBeOmitted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("proxy.toml"), "address = \"127.0.0.1:5299\"\nbackend_conn_num = 2\nactive_redirection = false\n");
        ConfigSource c = ConfigSource.load(Optional.of(dir.resolve("proxy")),
                Map.of("UNDERMOON_BACKEND_CONN_NUM", "4", "undermoon_Active_Redirection", "yes", "PATH", "/bin"));
        assertThat(c.getString("address", "x")).isEqualTo("127.0.0.1:5299");
        assertThat(c.getLong("backend_conn_num", 1)).isEqualTo(4);
        assertThat(c.getBoolean("active_redirection", false)).isTrue();
        assertThat(c.has("path")).isFalse();
    }

    @Test
    void badValuesAreErrorsNamingTheField(@TempDir Path dir) throws Exception {
        ConfigSource c = ConfigSource.load(Optional.empty(), Map.of("UNDERMOON_BACKEND_TIMEOUT", "soon", "UNDERMOON_DEBUG", "maybe"));
        assertThatThrownBy(() -> c.getLong("backend_timeout", 3000)).hasMessageContaining("backend_timeout");
        assertThatThrownBy(() -> c.getBoolean("debug", false)).hasMessageContaining("debug");
        Files.writeString(dir.resolve("bad.toml"), "address = [unclosed");
        assertThatThrownBy(() -> ConfigSource.load(Optional.of(dir.resolve("bad.toml")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("failed to read config");
        assertThatThrownBy(() -> ConfigSource.load(Optional.of(dir.resolve("missing.toml")), Map.of()))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void lists() throws Exception {
        ConfigSource c = ConfigSource.load(Optional.empty(), Map.of("UNDERMOON_REPLICA_ADDRESSES", "a:1,b:2", "UNDERMOON_EMPTY", ""));
        assertThat(c.getStringList("replica_addresses", List.of(), true)).containsExactly("a:1", "b:2");
        assertThat(c.getStringList("replica_addresses", List.of(), false)).containsExactly("a:1,b:2");
        assertThat(c.getStringList("empty", List.of("x"), true)).isEmpty();
        assertThat(ConfigSource.of(Map.of("b", List.of("x", "y"))).getStringList("b", List.of(), true)).containsExactly("x", "y");
    }

    /**
     * Regression (config fuzzing): TOML parses 1.5 and 1e3 as decimals and integers beyond 64 bits as
     * big integers; they were rounded or wrapped (thread_number = 1.5 gave 1, 18446744073709551617
     * gave 1). A table or an array given for a text setting was read as its toString().
     */
    @Test
    void floatsBigIntegersTablesAndArraysAreRefusedNotConverted(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("c.toml"), "a = 1.5\nb = 1e3\nc = 18446744073709551617\nd = 9223372036854775807\n"
                + "e = [\"x\"]\nf = {x = 1}\ng = -9223372036854775808\nh = 0x7f\n");
        ConfigSource c = ConfigSource.load(Optional.of(dir.resolve("c.toml")), Map.of());
        assertThatThrownBy(() -> c.getLong("a", 0)).isInstanceOf(ConfigException.class).hasMessageContaining("invalid field a");
        assertThatThrownBy(() -> c.getLong("b", 0)).isInstanceOf(ConfigException.class).hasMessageContaining("invalid field b");
        assertThatThrownBy(() -> c.getLong("c", 0)).isInstanceOf(ConfigException.class).hasMessageContaining("too large");
        assertThat(c.getLong("d", 0)).isEqualTo(Long.MAX_VALUE);
        assertThat(c.getLong("g", 0)).isEqualTo(Long.MIN_VALUE);
        assertThat(c.getLong("h", 0)).isEqualTo(127);
        assertThatThrownBy(() -> c.getLong("e", 0)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> c.getString("e", "")).isInstanceOf(ConfigException.class).hasMessageContaining("invalid field e");
        assertThatThrownBy(() -> c.getOptionalString("f")).isInstanceOf(ConfigException.class).hasMessageContaining("invalid field f");
        assertThat(c.getString("d", "")).isEqualTo("9223372036854775807");
        assertThat(c.getStringList("e", List.of(), false)).containsExactly("x");
    }

    /**
     * Regression (config fuzzing): a duration accepted by the loader must survive the program's
     * nanosecond arithmetic; 10^15 seconds used to load and then throw ArithmeticException at start.
     */
    @Test
    void durationsAndRangesAreBounded() throws Exception {
        ConfigSource c = ConfigSource.of(Map.of("max_s", Long.toString(ConfigSource.MAX_SECONDS), "over_s",
                Long.toString(ConfigSource.MAX_SECONDS + 1), "max_ms", ConfigSource.MAX_MILLIS, "over_ms", ConfigSource.MAX_MILLIS + 1,
                "n", 2048));
        assertThat(c.getSeconds("max_s", 1, 0).toNanos()).isLessThanOrEqualTo(Long.MAX_VALUE / 2);
        assertThatThrownBy(() -> c.getSeconds("over_s", 1, 0)).hasMessageContaining("invalid field over_s: must be at most");
        assertThat(c.getMillis("max_ms", 1, 0).toNanos()).isLessThanOrEqualTo(Long.MAX_VALUE / 2);
        assertThatThrownBy(() -> c.getMillis("over_ms", 1, 0)).hasMessageContaining("invalid field over_ms");
        assertThat(c.getSeconds("missing", 7, 0)).hasSeconds(7);
        assertThatThrownBy(() -> c.getInt("n", 1, 1, 1024)).hasMessageContaining("invalid field n: must be at most 1024");
        assertThat(c.getInt("n", 1, 1, 4096)).isEqualTo(2048);
    }
}
