package io.undermoon.coordinator.testing;

import io.undermoon.model.config.ConfigSource;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ServerProxy;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import io.undermoon.process.FreePorts;
import io.undermoon.process.RedisProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real server proxy (in-process) in front of two real redis-server processes. */
public final class ProxyFixture implements AutoCloseable {
    private final RedisProcess redis1;
    private final RedisProcess redis2;
    private final String address;
    private volatile ServerProxy proxy;

    private ProxyFixture(RedisProcess redis1, RedisProcess redis2, String address, ServerProxy proxy) {
        this.redis1 = redis1;
        this.redis2 = redis2;
        this.address = address;
        this.proxy = proxy;
    }

    public static ProxyFixture start() throws Exception {
        RedisProcess r1 = RedisProcess.start();
        RedisProcess r2 = null;
        try {
            r2 = RedisProcess.start();
            String address = "127.0.0.1:" + FreePorts.next();
            ServerProxy p = ServerProxy.start(ProxyConfig.load(ConfigSource.of(Map.of(
                    "address", address, "announce_address", address, "thread_number", 1L))));
            return new ProxyFixture(r1, r2, address, p);
        } catch (Exception e) {
            r1.close();
            if (r2 != null) {
                r2.close();
            }
            throw e;
        }
    }

    public String address() {
        return address;
    }

    public List<String> nodes() {
        return List.of(redis1.address(), redis2.address());
    }

    /** Stops the proxy (its port then refuses connections); the Redis processes keep running. */
    public void stopProxy() {
        ServerProxy p = proxy;
        if (p != null) {
            p.close();
            proxy = null;
        }
    }

    /** One command to the proxy on a new connection. */
    public RespReply command(String... args) throws IOException {
        try (BlockingRespClient c = BlockingRespClient.connect(address, Duration.ofSeconds(2))) {
            return c.command(args);
        }
    }

    /** UMCTL GETEPOCH, or -1 when the proxy does not answer. */
    public long epoch() {
        try {
            return command("UMCTL", "GETEPOCH") instanceof RespReply.Int i ? i.value() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** The text of CLUSTER NODES. */
    public String clusterNodes() throws IOException {
        return ((RespReply.Bulk) command("CLUSTER", "NODES")).text();
    }

    /** The slot ranges of the "myself" line of CLUSTER NODES, e.g. "0-8191". */
    public String mySlots() throws IOException {
        for (String line : clusterNodes().split("\n")) {
            if (line.contains("myself")) {
                String[] f = line.trim().split(" ");
                return String.join(" ", java.util.Arrays.copyOfRange(f, 8, f.length));
            }
        }
        return "";
    }

    @Override
    public void close() {
        try {
            stopProxy();
        } finally {
            redis1.close();
            redis2.close();
        }
    }
}
