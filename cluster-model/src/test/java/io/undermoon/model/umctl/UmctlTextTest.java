package io.undermoon.model.umctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UmctlTextTest {

    @Test
    void unsignedNumbersUseAsciiDigitsAndAnOptionalPlus() {
        assertThat(UmctlText.parseUnsigned("0")).isZero();
        assertThat(UmctlText.parseUnsigned("+42")).isEqualTo(42);
        assertThat(UmctlText.parseUnsigned("000123")).isEqualTo(123);
        assertThat(UmctlText.parseUnsigned("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        for (String bad : new String[] {"", "+", "-0", "-1", " 1", "1 ", "0x10", "1_000", "\u0661", "9223372036854775808",
            "99999999999999999999999"}) {
            assertThat(UmctlText.parseUnsigned(bad)).as(bad).isEqualTo(-1);
        }
    }

    @Test
    void strictUtf8() {
        assertThat(UmctlText.utf8("caf\u00e9 \ud83d\ude00".getBytes(StandardCharsets.UTF_8))).contains("caf\u00e9 \ud83d\ude00");
        assertThat(UmctlText.utf8(new byte[0])).contains("");
        assertThat(UmctlText.utf8(new byte[] {(byte) 0xc0, (byte) 0x80})).isEmpty();
        assertThat(UmctlText.utf8(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})).isEmpty();
        assertThat(UmctlText.utf8(new byte[] {(byte) 0xe2, (byte) 0x82})).isEmpty();
    }

    @Test
    void keywordsFoldAsciiOnly() {
        assertThat(UmctlText.equalsIgnoreAsciiCase("Peer", "PEER")).isTrue();
        assertThat(UmctlText.equalsIgnoreAsciiCase("M\u0131GRATING", "MIGRATING")).isFalse();
        assertThat(UmctlText.equalsIgnoreAsciiCase("PEERS", "PEER")).isFalse();
    }

    @Test
    void flagsWord() {
        assertThat(UmctlFlags.parse("force,compress")).isEqualTo(new UmctlFlags(true, true));
        assertThat(UmctlFlags.parse("NOFLAG")).isEqualTo(UmctlFlags.NONE);
        assertThat(UmctlFlags.parse(",,FORCE,")).isEqualTo(new UmctlFlags(true, false));
        assertThat(UmctlFlags.parse("FORCECOMPRESS")).isEqualTo(UmctlFlags.NONE);
        assertThat(new UmctlFlags(true, true).toArg()).isEqualTo("FORCE,COMPRESS");
        assertThat(new UmctlFlags(false, true).toArg()).isEqualTo("COMPRESS");
        assertThat(UmctlFlags.NONE.toArg()).isEqualTo("NOFLAG");
    }
}
