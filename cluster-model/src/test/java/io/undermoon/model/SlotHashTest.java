package io.undermoon.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SlotHashTest {

    @Test
    void knownSlots() {
        assertThat(SlotHash.slot("a")).isEqualTo(15495);
        assertThat(SlotHash.slot("b")).isEqualTo(3300);
        assertThat(SlotHash.slot("key")).isEqualTo(12539);
        // CRC16/XMODEM check value
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(SlotHash.crc16(check, 0, check.length)).isEqualTo(0x31c3);
    }

    @Test
    void hashTags() {
        assertThat(SlotHash.slot("{user1000}.following")).isEqualTo(SlotHash.slot("user1000"));
        assertThat(SlotHash.slot("foo{}{bar}")).isEqualTo(crcSlot("foo{}{bar}"));
        assertThat(SlotHash.slot("foo{{bar}}")).isEqualTo(SlotHash.slot("{bar"));
        assertThat(SlotHash.slot("foo{bar}{zap}")).isEqualTo(SlotHash.slot("bar"));
        assertThat(SlotHash.slot("{}xxxxx")).isEqualTo(crcSlot("{}xxxxx"));
        assertThat(SlotHash.slot("{")).isEqualTo(crcSlot("{"));
    }

    private static int crcSlot(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return SlotHash.crc16(b, 0, b.length) & 16383;
    }

    @Property
    void byteBufAndArrayAgree(@ForAll byte[] key, @ForAll("prefixes") int prefix) {
        ByteBuf buf = Unpooled.buffer();
        try {
            buf.writeZero(prefix);
            buf.writeBytes(key);
            buf.writeByte('x');
            assertThat(SlotHash.slot(buf, prefix, key.length)).isEqualTo(SlotHash.slot(key));
        } finally {
            buf.release();
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> prefixes() {
        return net.jqwik.api.Arbitraries.integers().between(0, 7);
    }
}
