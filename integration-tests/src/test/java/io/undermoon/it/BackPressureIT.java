package io.undermoon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.undermoon.model.SlotHash;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * A client that sends far more than it reads must not make the proxy buffer without bound: the
 * proxy stops reading from it, and later delivers every reply, in order.
 */
class BackPressureIT {

    private static long usedDirectMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    @Test
    void aClientThatDoesNotReadIsThrottledAndLosesNothing() throws Exception {
        try (TwoProxyCluster c = TwoProxyCluster.start(Map.of("max_pending_commands", 64))) {
            String key = null;
            for (int i = 0; key == null; i++) {
                if (SlotHash.slot("big" + i) <= 8191) {
                    key = "big" + i;
                }
            }
            byte[] value = new byte[64 * 1024];
            java.util.Arrays.fill(value, (byte) 'v');
            try (Jedis j = new Jedis("127.0.0.1", c.proxy1.port())) {
                j.set(key.getBytes(), value);
            }
            int commands = 20_000; // 1.25 GiB of replies if the proxy buffered them all
            long before = usedDirectMemory();
            try (Socket s = new Socket("127.0.0.1", c.proxy1.port())) {
                s.setReceiveBufferSize(64 * 1024);
                s.setSoTimeout(60_000);
                byte[] get = ("*2\r\n$3\r\nGET\r\n$" + key.length() + "\r\n" + key + "\r\n").getBytes(StandardCharsets.US_ASCII);
                OutputStream out = s.getOutputStream();
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        for (int i = 0; i < commands; i++) {
                            out.write(get);
                        }
                        out.flush();
                    } catch (Exception e) {
                        // the test fails on the reads below
                    }
                });
                Thread.sleep(2000); // the client reads nothing for a while
                long processed = c.proxy1.context().stats().commands();
                Thread.sleep(1000);
                // the proxy stopped taking commands from it, far short of all of them...
                assertThat(c.proxy1.context().stats().commands()).isEqualTo(processed).isLessThan(commands / 2);
                // ...and holds little memory for it
                long held = usedDirectMemory() - before;
                assertThat(held).as("direct memory held for the stalled client").isLessThan(64L * 1024 * 1024);
                InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 20);
                String header = "$" + value.length;
                for (int i = 0; i < commands; i++) {
                    String line = readLine(in);
                    assertThat(line).as("reply " + i).isEqualTo(header);
                    byte[] body = in.readNBytes(value.length + 2);
                    assertThat(body.length).isEqualTo(value.length + 2);
                    assertThat(body[0]).isEqualTo((byte) 'v');
                }
                writer.join(10_000);
                assertThat(writer.isAlive()).isFalse();
            }
        }
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder sb = new StringBuilder();
        int ch;
        while ((ch = in.read()) != -1 && ch != '\n') {
            if (ch != '\r') {
                sb.append((char) ch);
            }
        }
        return sb.toString();
    }
}
