package io.undermoon.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreePortsTest {

    @Test
    void portsStayBelowTheEphemeralRange() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralLow = Files.isReadable(range)
                ? Integer.parseInt(Files.readAllLines(range).getFirst().strip().split("\\s+")[0]) : 60000;
        assertThat(ephemeralLow).isBetween(1024, 65535);
        for (int i = 0; i < 13_000; i++) { // more than the window below 32768: every start position wraps
            int p = FreePorts.next();
            assertThat(p).isBetween(20000, 59999);
            if (ephemeralLow >= 24000) {
                assertThat(p).as("port %d is in the ephemeral range from %d", p, ephemeralLow).isLessThan(ephemeralLow);
            }
        }
    }

    @Test
    void theWindowEndsWhereTheEphemeralRangeBegins(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("range");
        Files.writeString(f, "32768\t60999\n");
        assertThat(FreePorts.highEnd(f)).isEqualTo(32768);
        Files.writeString(f, "21000 60999\n");
        assertThat(FreePorts.highEnd(f)).as("too few ports below it").isEqualTo(60000);
        Files.writeString(f, "garbage");
        assertThat(FreePorts.highEnd(f)).isEqualTo(60000);
        assertThat(FreePorts.highEnd(dir.resolve("missing"))).isEqualTo(60000);
    }
}
