package io.undermoon.it;

import io.undermoon.proxy.ServerProxy;
import io.undermoon.process.RedisProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Four redis-servers behind two proxies set up with UMCTL SETCLUSTER: proxy 1 serves slots
 * 0-4095 from redis 0 and 4096-8191 from redis 1, proxy 2 serves 8192-12287 from redis 2 and
 * 12288-16383 from redis 3. {@code active_redirection} as given (true = proxy mode).
 */
final class ProxyModeCluster implements AutoCloseable {
    final List<RedisProcess> redis = new ArrayList<>();
    final List<ServerProxy> proxies = new ArrayList<>();
    long epoch;

    ProxyModeCluster(boolean proxyMode) throws Exception {
        try {
            for (int i = 0; i < 4; i++) {
                redis.add(RedisProcess.start());
            }
            Map<String, Object> conf = new HashMap<>();
            conf.put("active_redirection", proxyMode);
            for (int i = 0; i < 2; i++) {
                proxies.add(TwoProxyCluster.startProxy(conf));
            }
            setCluster(1);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    String address(int proxy) {
        return "127.0.0.1:" + proxies.get(proxy).port();
    }

    int port(int proxy) {
        return proxies.get(proxy).port();
    }

    /** Sends the topology to both proxies with this epoch. */
    void setCluster(long epoch) throws IOException {
        this.epoch = epoch;
        String[] ranges = {"0-4095", "4096-8191", "8192-12287", "12288-16383"};
        for (int p = 0; p < 2; p++) {
            StringBuilder sb = new StringBuilder("UMCTL SETCLUSTER v2 " + epoch + " NOFLAG mycluster");
            for (int r = 2 * p; r < 2 * p + 2; r++) {
                sb.append(' ').append(redis.get(r).address()).append(" 1 ").append(ranges[r]);
            }
            int q = 1 - p;
            sb.append(" PEER ").append(address(q)).append(" 2 ").append(ranges[2 * q]).append(' ').append(ranges[2 * q + 1]);
            String reply = TwoProxyCluster.inline(port(p), sb.toString());
            if (!reply.equals("+OK")) {
                throw new IllegalStateException("SETCLUSTER failed: " + reply);
            }
        }
    }

    @Override
    public void close() {
        for (ServerProxy p : proxies) {
            try {
                p.close();
            } catch (RuntimeException ignored) {
                // keep closing the others
            }
        }
        for (RedisProcess r : redis) {
            r.close();
        }
    }
}
