package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.process.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * The same seeded random command stream (strings, cross-slot MGET/MSET/DEL/EXISTS/UNLINK/TOUCH,
 * counters, lists, hashes, sets, wrong types) sent to one plain Redis and, alternating between the
 * two proxies, to a 4-master cluster in proxy mode: every reply must be the same.
 */
class ProxyModeDifferentialIT {
    private static final int KEYS = 40;

    @Test
    void proxyModeAnswersAsOneRedis() throws Exception {
        long seed = Long.getLong("undermoon.seed", System.nanoTime());
        int commands = Boolean.getBoolean("undermoon.long") ? 50_000 : 3_000;
        try (RedisProcess plain = RedisProcess.start();
                ProxyModeCluster cluster = new ProxyModeCluster(true);
                Jedis reference = new Jedis("127.0.0.1", plain.port());
                Jedis p0 = new Jedis("127.0.0.1", cluster.port(0));
                Jedis p1 = new Jedis("127.0.0.1", cluster.port(1))) {
            Random rnd = new Random(seed);
            for (int i = 0; i < commands; i++) {
                String[] cmd = next(rnd);
                String expected = call(reference, cmd);
                String actual = call(i % 2 == 0 ? p0 : p1, cmd);
                assertThat(actual).as("seed %d, command %d: %s", seed, i, String.join(" ", cmd)).isEqualTo(expected);
            }
            assertThat(call(p1, new String[] {"DBSIZE"})).isEqualTo(call(reference, new String[] {"DBSIZE"}));
        }
    }

    private static String key(Random rnd) {
        return "d:" + rnd.nextInt(KEYS);
    }

    private static String[] next(Random rnd) {
        List<String> c = new ArrayList<>();
        int n = 1 + rnd.nextInt(6);
        switch (rnd.nextInt(18)) {
            case 0 -> c.addAll(List.of("SET", key(rnd), "v" + rnd.nextInt(100)));
            case 1 -> c.addAll(List.of("GET", key(rnd)));
            case 2 -> {
                c.add("MSET");
                for (int i = 0; i < n; i++) {
                    c.add(key(rnd));
                    c.add("m" + rnd.nextInt(100));
                }
            }
            case 3, 4 -> {
                c.add("MGET");
                for (int i = 0; i < n; i++) {
                    c.add(key(rnd));
                }
            }
            case 5 -> multi(c, "DEL", n, rnd);
            case 6 -> multi(c, "EXISTS", n, rnd);
            case 7 -> multi(c, "UNLINK", n, rnd);
            case 8 -> multi(c, "TOUCH", n, rnd);
            case 9 -> c.addAll(List.of("INCRBY", key(rnd), Integer.toString(rnd.nextInt(10))));
            case 10 -> c.addAll(List.of("APPEND", key(rnd), "a"));
            case 11 -> c.addAll(List.of("RPUSH", key(rnd), "e" + rnd.nextInt(5), "f"));
            case 12 -> c.addAll(List.of("LRANGE", key(rnd), "0", "-1"));
            case 13 -> c.addAll(List.of("LPOP", key(rnd)));
            case 14 -> c.addAll(List.of("HSET", key(rnd), "f" + rnd.nextInt(4), "h"));
            case 15 -> c.addAll(List.of("HGETALL", key(rnd)));
            case 16 -> c.addAll(List.of("SADD", key(rnd), "s" + rnd.nextInt(4)));
            default -> c.addAll(List.of("SCARD", key(rnd)));
        }
        return c.toArray(String[]::new);
    }

    private static void multi(List<String> c, String name, int n, Random rnd) {
        c.add(name);
        for (int i = 0; i < n; i++) {
            c.add(key(rnd));
        }
    }

    private static String call(Jedis j, String[] cmd) {
        try {
            Object reply = j.sendCommand(Protocol.Command.valueOf(cmd[0]), java.util.Arrays.copyOfRange(cmd, 1, cmd.length));
            return render(reply);
        } catch (JedisDataException e) {
            return "error: " + e.getMessage();
        }
    }

    private static String render(Object o) {
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (o instanceof List<?> l) {
            List<String> out = new ArrayList<>();
            l.forEach(e -> out.add(render(e)));
            return out.toString();
        }
        return String.valueOf(o);
    }
}
