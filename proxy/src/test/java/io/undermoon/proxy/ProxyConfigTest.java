package io.undermoon.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {

    private static ProxyConfig load(Map<String, Object> values) throws ConfigException {
        return ProxyConfig.load(ConfigSource.of(values));
    }

    /**
     * Regression (config fuzzing): values the loader accepted but the proxy could not run with —
     * thread_number and slowlog_len near 2^31 (an array of that size at start), max_bulk_length above
     * what a buffer can hold (the decoder's int arithmetic went negative), max_inline_length near 2^31
     * (its search limit overflowed), timeouts whose nanoseconds overflow.
     */
    @Test
    void settingsTheProxyCannotRunWithAreRefused() {
        for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of("thread_number", 1_000_000),
                Map.of("backend_conn_num", 2147483647), Map.of("slowlog_len", 2147483647),
                Map.of("max_bulk_length", 4294967296L), Map.of("max_inline_length", 2147483647),
                Map.of("max_array_length", 2147483647), Map.of("backend_timeout", Long.MAX_VALUE),
                Map.of("session_timeout", "9223372036854775807"), Map.of("replication_interval", "9223372036854775807"),
                Map.of("slowlog_log_slower_than", Long.MAX_VALUE), Map.of("thread_number", "2.5"))) {
            assertThatThrownBy(() -> load(bad)).as(bad.toString()).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("invalid field " + bad.keySet().iterator().next());
        }
    }

    @Test
    void theLargestAcceptedSettingsAreUsable() throws ConfigException {
        ProxyConfig c = load(Map.of("thread_number", ProxyConfig.MAX_THREADS, "slowlog_len", ProxyConfig.MAX_SLOWLOG_LEN,
                "max_bulk_length", io.undermoon.resp.RespLimits.MAX_BULK_LENGTH, "max_inline_length",
                io.undermoon.resp.RespLimits.MAX_LENGTH, "max_array_length", io.undermoon.resp.RespLimits.MAX_LENGTH,
                "backend_timeout", ConfigSource.MAX_MILLIS));
        assertThat(c.requestLimits().maxBulkLength()).isEqualTo(io.undermoon.resp.RespLimits.MAX_BULK_LENGTH);
        assertThat(c.threadNumber()).isEqualTo(ProxyConfig.MAX_THREADS);
    }
}
