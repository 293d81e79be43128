package io.undermoon.resp.client;

import io.undermoon.resp.RespProtocolException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.process.FreePorts;
import io.undermoon.process.RedisProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BlockingRespClientIT {
    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void talksToARealRedis() throws IOException {
        try (BlockingRespClient c = BlockingRespClient.connect(redis.address(), Duration.ofSeconds(2))) {
            assertThat(c.command("PING")).isEqualTo(new RespReply.Simple("PONG"));
            assertThat(c.command("SET", "greeting", "héllo wörld")).isEqualTo(new RespReply.Simple("OK"));
            assertThat(c.command("GET", "greeting")).isEqualTo(RespReply.bulk("héllo wörld"));
            assertThat(c.command("GET", "missing")).isEqualTo(RespReply.NIL);
            assertThat(c.commandForLong("INCRBY", "counter", "41")).isEqualTo(41);
            assertThat(c.command("RPUSH", "list", "a", "b", "c")).isEqualTo(new RespReply.Int(3));
            assertThat(c.command("LRANGE", "list", "0", "-1"))
                    .isEqualTo(new RespReply.Array(List.of(RespReply.bulk("a"), RespReply.bulk("b"), RespReply.bulk("c"))));
            assertThat(c.command("NOSUCHCOMMAND")).isInstanceOf(RespReply.Error.class);
            // an error reply is a reply: the connection stays usable
            assertThat(c.command("PING")).isEqualTo(new RespReply.Simple("PONG"));
            assertThatThrownBy(() -> c.commandForLong("GET", "greeting")).isInstanceOf(RespProtocolException.class);
        }
    }

    @Test
    void aSlowReplyTimesOutAndClosesTheConnection() throws IOException {
        try (BlockingRespClient c = BlockingRespClient.connect("127.0.0.1", redis.port(), Duration.ofMillis(300))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> c.command("BLPOP", "never-pushed", "5")).isInstanceOf(SocketTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(c.isOpen()).isFalse();
            assertThatThrownBy(() -> c.command("PING")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aPeerThatTricklesBytesIsCutOffAtTheDeadline() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread slow = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    OutputStream out = s.getOutputStream();
                    for (byte b : "+PONG".getBytes(StandardCharsets.US_ASCII)) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(150);
                    }
                    Thread.sleep(2000);
                } catch (IOException | InterruptedException ignored) {
                    // the client hangs up, as the test expects
                }
            });
            try (BlockingRespClient c = BlockingRespClient.connect("127.0.0.1", server.getLocalPort(), Duration.ofMillis(400))) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> c.command("PING")).isInstanceOf(SocketTimeoutException.class);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
            }
            slow.interrupt();
            slow.join();
        }
    }

    @Test
    void connectingToAClosedPortFailsFast() {
        int port = FreePorts.next();
        assertThatThrownBy(() -> BlockingRespClient.connect("127.0.0.1", port, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> BlockingRespClient.connect("no-port", Duration.ofSeconds(1))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> BlockingRespClient.connect("127.0.0.1:x", Duration.ofSeconds(1))).isInstanceOf(IOException.class);
    }
}
