package io.undermoon.it;

import io.undermoon.model.SlotHash;
import io.undermoon.proxy.ServerProxy;
import io.undermoon.process.RedisProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One cluster of four redis-servers (masters) behind two server proxies: proxy 1 serves slots
 * 0-4095 from redis 0 and 4096-8191 from redis 1, proxy 2 serves 8192-12287 from redis 2 and
 * 12288-16383 from redis 3. Everything started is stopped by {@link #close}, also when starting fails.
 */
final class FourRedisCluster implements AutoCloseable {
    final List<RedisProcess> redis = new ArrayList<>();
    ServerProxy proxy1;
    ServerProxy proxy2;

    static FourRedisCluster start(String name, Map<String, Object> config) throws Exception {
        FourRedisCluster c = new FourRedisCluster();
        try {
            for (int i = 0; i < 4; i++) {
                c.redis.add(RedisProcess.start());
            }
            c.proxy1 = TwoProxyCluster.startProxy(config);
            c.proxy2 = TwoProxyCluster.startProxy(config);
            c.setCluster(name, 1);
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
        return c;
    }

    void setCluster(String name, long epoch) throws IOException {
        String r = " NOFLAG " + name + " ";
        String one = "UMCTL SETCLUSTER v2 " + epoch + r + redis.get(0).address() + " 1 0-4095 " + redis.get(1).address()
                + " 1 4096-8191 PEER " + address2() + " 1 8192-12287 " + address2() + " 1 12288-16383";
        String two = "UMCTL SETCLUSTER v2 " + epoch + r + redis.get(2).address() + " 1 8192-12287 " + redis.get(3).address()
                + " 1 12288-16383 PEER " + address1() + " 1 0-4095 " + address1() + " 1 4096-8191";
        for (String[] p : new String[][] {{address1(), one}, {address2(), two}}) {
            String reply = TwoProxyCluster.inline(Integer.parseInt(p[0].split(":")[1]), p[1]);
            if (!reply.equals("+OK")) {
                throw new IllegalStateException("SETCLUSTER failed: " + reply);
            }
        }
    }

    String address1() {
        return "127.0.0.1:" + proxy1.port();
    }

    String address2() {
        return "127.0.0.1:" + proxy2.port();
    }

    /** A key (with the given prefix) whose slot is served by redis {@code index}. */
    static String keyOn(int index, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            if (SlotHash.slot(k.getBytes(StandardCharsets.UTF_8)) / 4096 == index) {
                return k;
            }
        }
    }

    @Override
    public void close() {
        for (ServerProxy p : new ServerProxy[] {proxy1, proxy2}) {
            if (p != null) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    // keep stopping the rest
                }
            }
        }
        for (RedisProcess r : redis) {
            r.close();
        }
    }
}
