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
}
