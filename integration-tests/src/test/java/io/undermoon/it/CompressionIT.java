package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdOutputStream;
import io.undermoon.model.SlotHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.SetParams;

/**
 * Value compression (compression_strategy) on two real proxies in front of real Redis: the command
 * rules of set_get_only and allow_all with Jedis, what Redis really stores (standard zstd level 1
 * frames), values written by zstd directly into Redis (the reference's frames) read back through
 * the proxy, values stored uncompressed read back as stored, and active redirection compressing once.
 */
class CompressionIT {
    static final byte[] JSON = json(1024);
    private static final byte[] MAGIC = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};

    static byte[] json(int size) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; sb.length() < size - 60; i++) {
            sb.append("{\"id\":").append(i).append(",\"name\":\"user").append(i % 7).append("\",\"active\":true},");
        }
        sb.setLength(sb.length() - 1);
        return sb.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** SETCLUSTER for both proxies at {@code epoch} (proxy 1: 0-8191, proxy 2: 8192-16383) with a strategy. */
    static void setStrategy(TwoProxyCluster c, long epoch, String strategy) throws IOException {
        String config = " CONFIG compression_strategy " + strategy;
        String one = "UMCTL SETCLUSTER v2 " + epoch + " NOFLAG mycluster " + c.redis1.address() + " 1 0-8191 PEER "
                + c.address2() + " 1 8192-16383" + config;
        String two = "UMCTL SETCLUSTER v2 " + epoch + " NOFLAG mycluster " + c.redis2.address() + " 1 8192-16383 PEER "
                + c.address1() + " 1 0-8191" + config;
        assertThat(TwoProxyCluster.inline(c.proxy1.port(), one)).isEqualTo("+OK");
        assertThat(TwoProxyCluster.inline(c.proxy2.port(), two)).isEqualTo("+OK");
    }

    /** The bytes Redis holds for {@code key} (on the Redis of the proxy owning its slot). */
    static byte[] stored(TwoProxyCluster c, String key) {
        int port = SlotHash.slot(key) <= 8191 ? c.redis1.port() : c.redis2.port();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            return j.get(b(key));
        }
    }

    static void storeDirectly(TwoProxyCluster c, String key, byte[] value) {
        int port = SlotHash.slot(key) <= 8191 ? c.redis1.port() : c.redis2.port();
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            j.set(b(key), value);
        }
    }

    static boolean isFrame(byte[] v) {
        return v.length > 4 && Arrays.equals(Arrays.copyOf(v, 4), MAGIC);
    }

    static byte[] streamed(byte[] value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZstdOutputStream z = new ZstdOutputStream(out, 1)) {
            z.write(value);
        }
        return out.toByteArray();
    }

    private static JedisCluster client(TwoProxyCluster c) {
        return new JedisCluster(Set.of(new HostAndPort("127.0.0.1", c.proxy1.port())), 5000, 5);
    }

    @Test
    void setGetOnlyCompressesValuesAndRefusesPartialStringCommands() throws Exception {
        try (TwoProxyCluster c = TwoProxyCluster.start()) {
            // disabled (the default): a stored frame is returned as it is
            storeDirectly(c, "raw", Zstd.compress(JSON, 1));
            try (JedisCluster jc = client(c)) {
                assertThat(jc.get(b("raw"))).isEqualTo(Zstd.compress(JSON, 1));
            }
            setStrategy(c, 2, "set_get_only");
            // a transaction would send its values past the compression and its GETs' replies
            // undecoded: MULTI is refused while a strategy is on, and the connection goes on
            try (Jedis j = new Jedis("127.0.0.1", c.proxy1.port())) {
                assertThatThrownBy(() -> j.sendCommand(redis.clients.jedis.Protocol.Command.MULTI))
                        .isInstanceOf(JedisDataException.class).hasMessageContaining("compression_strategy is set_get_only");
                assertThat(j.ping()).isEqualTo("PONG");
            }
            try (JedisCluster jc = client(c)) {
                // SET/GET: Redis holds a standard level 1 frame that zstd gives back
                assertThat(jc.set(b("doc"), JSON)).isEqualTo("OK");
                byte[] frame = stored(c, "doc");
                assertThat(isFrame(frame)).isTrue();
                assertThat(frame.length).isLessThan(JSON.length / 2);
                assertThat(Zstd.decompress(frame, JSON.length)).isEqualTo(JSON);
                assertThat(jc.get(b("doc"))).isEqualTo(JSON);
                assertThat(jc.get(b("raw"))).as("now decoded").isEqualTo(JSON);

                // frames written by zstd itself (plain API, and the streaming encoder's frames without
                // a content size, as the reference writes them) read back decompressed
                storeDirectly(c, "plainapi", Zstd.compress(JSON, 1));
                storeDirectly(c, "streamed", streamed(JSON));
                assertThat(jc.get(b("plainapi"))).isEqualTo(JSON);
                assertThat(jc.get(b("streamed"))).isEqualTo(JSON);

                // values stored uncompressed (before compression was on) read back as stored
                storeDirectly(c, "legacy", JSON);
                assertThat(jc.get(b("legacy"))).isEqualTo(JSON);
                byte[] corrupt = Arrays.copyOf(frame, frame.length - 2);
                storeDirectly(c, "corrupt", corrupt);
                assertThat(jc.get(b("corrupt"))).as("a frame that does not decode: as stored").isEqualTo(corrupt);

                // short values stay plain; a value that looks like a frame is compressed, so reads back as itself
                assertThat(jc.set("small", "5")).isEqualTo("OK");
                assertThat(stored(c, "small")).isEqualTo(b("5"));
                byte[] lookalike = Zstd.compress(b("not really a value of yours"), 1);
                jc.set(b("lookalike"), lookalike);
                assertThat(stored(c, "lookalike")).isNotEqualTo(lookalike);
                assertThat(jc.get(b("lookalike"))).isEqualTo(lookalike);

                // GETSET, SETEX, PSETEX, SETNX, SET ... GET, GETEX, GETDEL
                byte[] other = json(2048);
                assertThat(jc.getSet(b("doc"), other)).isEqualTo(JSON);
                assertThat(jc.get(b("doc"))).isEqualTo(other);
                assertThat(jc.setex(b("ex"), 100, JSON)).isEqualTo("OK");
                assertThat(jc.psetex(b("pex"), 100_000, JSON)).isEqualTo("OK");
                assertThat(jc.setnx(b("nx"), JSON)).isEqualTo(1L);
                assertThat(jc.setnx(b("nx"), other)).isEqualTo(0L);
                for (String k : List.of("ex", "pex", "nx")) {
                    assertThat(isFrame(stored(c, k))).as(k).isTrue();
                    assertThat(jc.get(b(k))).as(k).isEqualTo(JSON);
                }
                assertThat(jc.ttl("ex")).isPositive();
                assertThat(jc.setGet(b("doc"), JSON, new SetParams())).isEqualTo(other);
                assertThat(jc.getEx(b("doc"), new GetExParams().ex(100))).isEqualTo(JSON);
                assertThat(jc.getDel(b("doc"))).isEqualTo(JSON);
                assertThat(jc.get(b("doc"))).isNull();

                // MSET/MGET within one slot: every value compressed, every value decoded
                assertThat(jc.mset(b("{t}a"), JSON, b("{t}b"), b("tiny"), b("{t}c"), other)).isEqualTo("OK");
                assertThat(isFrame(stored(c, "{t}a"))).isTrue();
                assertThat(stored(c, "{t}b")).isEqualTo(b("tiny"));
                List<byte[]> got = jc.mget(b("{t}a"), b("{t}b"), b("{t}missing"), b("{t}c"));
                assertThat(got).hasSize(4);
                assertThat(got.get(0)).isEqualTo(JSON);
                assertThat(got.get(1)).isEqualTo(b("tiny"));
                assertThat(got.get(2)).isNull();
                assertThat(got.get(3)).isEqualTo(other);
                assertThat(jc.msetnx(b("{t}x"), JSON, b("{t}y"), JSON)).isEqualTo(1L);
                assertThat(jc.get(b("{t}y"))).isEqualTo(JSON);

                // the other string commands would see compressed bytes: refused, nothing changed
                for (Runnable refused : List.<Runnable>of(() -> jc.append("small", "1"), () -> jc.incr("small"),
                        () -> jc.strlen("small"), () -> jc.getrange("small", 0, 1), () -> jc.setrange("small", 0, "x"),
                        () -> jc.bitcount("small"), () -> jc.incrByFloat("small", 1.5), () -> jc.decrBy("small", 2))) {
                    assertThatThrownBy(refused::run).isInstanceOf(JedisDataException.class)
                            .hasMessage("unsupported string command when compression is enabled");
                }
                for (String[] cmd : new String[][] {{"SUBSTR", "small", "0", "1"}, {"LCS", "small", "small"},
                        {"BITFIELD", "small", "GET", "u8", "0"}, {"BITFIELD_RO", "small", "GET", "u8", "0"},
                        {"GETBIT", "small", "0"}, {"SETBIT", "small", "0", "1"}, {"BITPOS", "small", "1"},
                        {"BITOP", "AND", "small", "small"}, {"DECR", "small"}, {"INCRBY", "small", "1"}}) {
                    byte[][] args = new byte[cmd.length - 1][];
                    for (int i = 1; i < cmd.length; i++) {
                        args[i - 1] = b(cmd[i]);
                    }
                    assertThatThrownBy(() -> jc.sendCommand(b("small"), () -> b(cmd[0]), args)).as(cmd[0])
                            .isInstanceOf(JedisDataException.class)
                            .hasMessage("unsupported string command when compression is enabled");
                }
                assertThat(jc.get("small")).isEqualTo("5");
                // other types are not touched
                jc.hset(b("h"), b("f"), JSON);
                assertThat(jc.hget(b("h"), b("f"))).isEqualTo(JSON);
            }
            // the raw protocol: a missing value is refused by arity first
            try (Jedis j = new Jedis("127.0.0.1", c.proxy1.port())) {
                assertThatThrownBy(() -> j.sendCommand(() -> b("SETEX"), b("{0}k"), b("10")))
                        .isInstanceOf(JedisDataException.class).hasMessageContaining("wrong number of arguments");
            }
        }
    }

    /** max_redirections 0 forwards the plain command, 2 wraps it in UMFORWARD. */
    @ParameterizedTest(name = "max_redirections = {0}")
    @ValueSource(ints = {0, 2})
    void allowAllPassesTheOtherStringCommandsAndActiveRedirectionCompressesOnce(int maxRedirections) throws Exception {
        try (TwoProxyCluster c = TwoProxyCluster.startWithConfig(Map.of("active_redirection", true,
                "max_redirections", maxRedirections))) {
            setStrategy(c, 2, "allow_all");
            String local = "b"; // slot 3300 is proxy 1's; "a" (15495) is proxy 2's
            String peerKey = "a";
            assertThat(SlotHash.slot(peerKey)).isGreaterThan(8191);
            try (Jedis j = new Jedis("127.0.0.1", c.proxy1.port())) {
                // small values stay plain, so counters and APPEND work under allow_all
                assertThat(j.set(local, "5")).isEqualTo("OK");
                assertThat(j.incr(local)).isEqualTo(6L);
                assertThat(j.append(local, "0")).isEqualTo(2L);
                assertThat(j.get(local)).isEqualTo("60");
                // STRLEN of a compressed value sees the stored (compressed) length: the documented trade-off
                j.set(b("big"), JSON);
                assertThat(j.strlen("big")).isEqualTo((long) stored(c, "big").length).isLessThan((long) JSON.length);

                // through proxy 1 to proxy 2 (UMFORWARD): compressed once, decoded once
                assertThat(j.set(b(peerKey), JSON)).isEqualTo("OK");
                byte[] frame = stored(c, peerKey);
                assertThat(isFrame(frame)).isTrue();
                assertThat(Zstd.decompress(frame, JSON.length)).isEqualTo(JSON);
                assertThat(j.get(b(peerKey))).isEqualTo(JSON);
                List<byte[]> both = j.mget(b(peerKey));
                assertThat(both.get(0)).isEqualTo(JSON);

                // proxy mode splits MSET/MGET across slots: each part compressed once where it is
                // stored, and each part's reply decoded before the merge
                assertThat(j.mset(b(local), JSON, b(peerKey), JSON)).isEqualTo("OK");
                assertThat(Zstd.decompress(stored(c, local), JSON.length)).isEqualTo(JSON);
                assertThat(Zstd.decompress(stored(c, peerKey), JSON.length)).isEqualTo(JSON);
                assertThat(j.mget(b(local), b(peerKey), b("absent"))).containsExactly(JSON, JSON, null);
            }
            try (Jedis j2 = new Jedis("127.0.0.1", c.proxy2.port())) {
                assertThat(j2.get(b(peerKey))).isEqualTo(JSON);
            }
        }
    }
}
