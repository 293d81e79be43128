package io.undermoon.proxy.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.config.ConfigSource;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ServerProxy;
import io.undermoon.resp.RespLimits;
import io.undermoon.process.RedisProcess;
import io.undermoon.testkit.Resp;
import java.util.HashMap;
import java.util.Map;

/**
 * A real server proxy in this JVM (so that its buffers can be measured) in front of a real
 * redis-server, serving all 16384 slots from it after an UMCTL SETCLUSTER.
 */
final class ProxyUnderTest implements AutoCloseable {
    final RedisProcess redis;
    final ServerProxy proxy;
    final ProxyConfig config;

    private ProxyUnderTest(RedisProcess redis, ServerProxy proxy, ProxyConfig config) {
        this.redis = redis;
        this.proxy = proxy;
        this.config = config;
    }

    static ProxyUnderTest start(Map<String, Object> overrides) throws Exception {
        RedisProcess redis = RedisProcess.start();
        try {
            Map<String, Object> values = new HashMap<>(Map.of("address", "127.0.0.1:0", "thread_number", 2,
                    "backend_timeout", 10_000));
            values.putAll(overrides);
            ProxyConfig config = ProxyConfig.load(ConfigSource.of(values));
            ServerProxy proxy = ServerProxy.start(config);
            ProxyUnderTest p = new ProxyUnderTest(redis, proxy, config);
            p.setCluster(1);
            return p;
        } catch (Exception | Error e) {
            redis.close();
            throw e;
        }
    }

    /** Gives every slot to the local Redis, at this epoch (FORCE: also after a random command changed it). */
    void setCluster(long epoch) throws Exception {
        Object reply = Resp.command("127.0.0.1", port(), "UMCTL", "SETCLUSTER", "v2", Long.toString(epoch), "FORCE", "fuzz",
                redis.address(), "1", "0-16383");
        assertThat(reply).isEqualTo("+OK");
    }

    int port() {
        return proxy.port();
    }

    RespLimits limits() {
        return config.requestLimits();
    }

    @Override
    public void close() {
        try {
            proxy.close();
        } finally {
            redis.close();
        }
    }
}
