package io.undermoon.proxy.wide;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ScanCursorTest {
    @Test
    void fieldsRoundTripAndTheEpochIsChecked() {
        long c = ScanCursor.encode(3, 7, 0x12345, ScanCursor.REDIS_LIMIT - 1);
        assertThat(c).isPositive();
        assertThat(ScanCursor.proxy(c)).isEqualTo(3);
        assertThat(ScanCursor.backend(c)).isEqualTo(7);
        assertThat(ScanCursor.redisCursor(c)).isEqualTo(ScanCursor.REDIS_LIMIT - 1);
        assertThat(ScanCursor.staleEpoch(c, 0x12345)).isFalse();
        assertThat(ScanCursor.staleEpoch(c, 0x12346)).isTrue();
        assertThat(ScanCursor.staleEpoch(0, 99)).isFalse();
        assertThat(ScanCursor.parse(Long.toUnsignedString(c))).isEqualTo(c);
        assertThat(ScanCursor.parse("abc")).isEqualTo(-1);
        assertThat(ScanCursor.parse("-5")).isEqualTo(-1);
        assertThat(ScanCursor.parse("18446744073709551615")).isEqualTo(-1);
    }

    @Test
    void keyspaceSectionsAreSummed() {
        Keyspace ks = new Keyspace();
        add(ks, "$40\r\n# Keyspace\r\ndb0:keys=10,expires=2,avg_ttl=1000\r\n\r\n");
        add(ks, "$12\r\n# Keyspace\r\n\r\n");
        add(ks, "$40\r\n# Keyspace\r\ndb0:keys=5,expires=6,avg_ttl=3000\r\n\r\n");
        assertThat(ks.section()).isEqualTo("# Keyspace\r\ndb0:keys=15,expires=8,avg_ttl=2500\r\n");
        assertThat(new Keyspace().section()).isEqualTo("# Keyspace\r\n");
    }

    private static void add(Keyspace ks, String reply) {
        var b = Unpooled.copiedBuffer(reply, StandardCharsets.UTF_8);
        try {
            ks.add(b);
        } finally {
            b.release();
        }
    }
}
