package io.undermoon.coordinator.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.undermoon.coordinator.Coordinator;
import io.undermoon.coordinator.CoordinatorConfig;
import io.undermoon.coordinator.CoordinatorStartException;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin API of a running coordinator, over real TCP. */
class AdminServerIT {

    private static Coordinator start(Map<String, Object> overrides) throws Exception {
        Map<String, Object> values = new HashMap<>();
        values.put("address", "127.0.0.1:0");
        values.put("broker_address", List.of());
        values.put("reporter_id", "coord-it");
        values.put("loop_interval_ms", 50L);
        values.putAll(overrides);
        return Coordinator.start(CoordinatorConfig.from(ConfigSource.of(values)));
    }

    @Test
    void configGetAndSetOverRealConnections() throws Exception {
        try (Coordinator c = start(Map.of());
             BlockingRespClient admin = BlockingRespClient.connect(c.adminAddress(), Duration.ofSeconds(2))) {
            assertThat(admin.command("CONFIG", "GET", "brokers")).isEqualTo(RespReply.bulk(""));
            assertThat(admin.command("CONFIG", "SET", "brokers", "127.0.0.1:7799,127.0.0.1:7800"))
                    .isEqualTo(new RespReply.Simple("OK"));
            assertThat(c.brokers().get()).containsExactly("127.0.0.1:7799", "127.0.0.1:7800");
            assertThat(admin.command("CONFIG", "GET", "brokers")).isEqualTo(RespReply.bulk("127.0.0.1:7799,127.0.0.1:7800"));
            assertThat(admin.command("CONFIG", "GET", "reporter_id")).isEqualTo(RespReply.bulk("coord-it"));
            assertThat(admin.command("PING")).isEqualTo(new RespReply.Error("ERR_COMMAND_NOT_SUPPORTED: PING"));
            RespReply debug = admin.command("UMCTL", "DEBUG", "FUTURE");
            assertThat(debug).isInstanceOfSatisfying(RespReply.Array.class, a -> assertThat(a.items())
                    .extracting(i -> ((RespReply.Bulk) i).text())
                    .anyMatch(s -> s.startsWith("loop detection rounds="))
                    .anyMatch(s -> s.startsWith("loop failover"))
                    .anyMatch(s -> s.startsWith("session ")));
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (Coordinator c = start(Map.of());
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", c.adminPort()), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(("CONFIG GET reporter_id\r\nPING\r\n*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$7\r\nbrokers\r\n"
                    + "CONFIG SET brokers b:1\r\nCONFIG GET brokers\r\n").getBytes(StandardCharsets.UTF_8));
            String expected = "$8\r\ncoord-it\r\n-ERR_COMMAND_NOT_SUPPORTED: PING\r\n$0\r\n\r\n+OK\r\n$3\r\nb:1\r\n";
            assertThat(readExactly(s.getInputStream(), expected.length())).isEqualTo(expected);
        }
    }

    @Test
    void anIdleSessionIsClosed() throws Exception {
        try (Coordinator c = start(Map.of("admin_session_timeout", 1L));
             Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", c.adminPort()), 2000);
            s.setSoTimeout(5000);
            long start = System.nanoTime();
            assertThat(s.getInputStream().read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(800), Duration.ofSeconds(4));
        }
    }

    @Test
    void aBusyAddressFailsTheStartAndLeavesNothingRunning() throws Exception {
        try (Coordinator first = start(Map.of())) {
            long threadsBefore = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("coordinator-"))
                    .count();
            assertThatThrownBy(() -> start(Map.of("address", first.adminAddress())))
                    .isInstanceOf(CoordinatorStartException.class).hasMessageContaining("cannot listen");
            long threadsAfter = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("coordinator-"))
                    .count();
            assertThat(threadsAfter).isLessThanOrEqualTo(threadsBefore);
        }
    }

    @Test
    void closeStopsTheLoopsAndTheAdminPort() throws Exception {
        Coordinator c = start(Map.of());
        int port = c.adminPort();
        await().until(() -> c.loops().stream().allMatch(l -> l.rounds() > 2));
        c.close();
        long[] rounds = c.loops().stream().mapToLong(l -> l.rounds()).toArray();
        Thread.sleep(200);
        assertThat(c.loops().stream().mapToLong(l -> l.rounds()).toArray()).isEqualTo(rounds);
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            }
        }).isInstanceOf(IOException.class);
        c.close(); // twice is fine
    }

    private static String readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        return new String(b, StandardCharsets.UTF_8);
    }
}
