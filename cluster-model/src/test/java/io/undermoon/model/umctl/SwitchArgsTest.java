package io.undermoon.model.umctl;

import static io.undermoon.model.umctl.Tokens.args;
import static io.undermoon.model.umctl.Tokens.assertFails;
import static io.undermoon.model.umctl.Tokens.bytes;
import static io.undermoon.model.umctl.Tokens.split;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.umctl.UmctlParseException.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SwitchArgsTest {
    private static final String COMMAND =
            "UMCTL PRECHECK mgr-0.2 mycluster MIGRATING 1 233-666 7799 127.0.0.1:6000 127.0.0.1:7000 127.0.0.1:6001 127.0.0.1:7001";

    @Test
    void precheckArgumentsRoundTrip() throws Exception {
        List<String> args = args(COMMAND);
        SwitchArgs parsed = SwitchArgs.parse(bytes(args));

        assertThat(parsed.version()).isEqualTo("mgr-0.2");
        assertThat(parsed.isCompatibleVersion()).isTrue();
        assertThat(parsed.task()).isEqualTo(MigrationTask.parse(String.join(" ", args.subList(1, args.size()))));
        assertThat(parsed.toTokens()).isEqualTo(args);
        assertThat(SwitchCommand.PRECHECK.toCommand(SwitchArgs.of(parsed.task()))).isEqualTo(split(COMMAND));
    }

    @Test
    void trailingTokensAreIgnoredAndImportingIsAccepted() throws Exception {
        SwitchArgs parsed = SwitchArgs.parseStrings(split("mgr-0.2 db IMPORTING 1 0-1 2 a b c d extra 1 2"));
        assertThat(parsed.task().isImporting()).isTrue();
        assertThat(parsed.toTokens()).isEqualTo(split("mgr-0.2 db IMPORTING 1 0-1 2 a b c d"));
    }

    @Test
    void otherVersionsParseButAreIncompatible() throws Exception {
        SwitchArgs parsed = SwitchArgs.parseStrings(split("mgr-0.1 db MIGRATING 1 0-1 2 a b c d"));
        assertThat(parsed.isCompatibleVersion()).isFalse();
        assertThat(parsed.version()).isEqualTo("mgr-0.1");
    }

    @Test
    void stableRangeIsDistinct() {
        assertFails(Reason.StableRange, () -> SwitchArgs.parseStrings(split("mgr-0.2 db 1 0-100")));
        assertFails(Reason.StableRange, () -> SwitchArgs.parseStrings(split("mgr-0.2 db 1 0-100 2 a b c d")));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "mgr-0.2", "mgr-0.2 db", "mgr-0.2 db MIGRATING 1 0-1 2 a b c", "mgr-0.2 db MIGRATING x 0-1 2 a b c d",
        "mgr-0.2 db MIGRATING 1 0-1 x a b c d", "mgr-0.2 db 1",
    })
    void malformedArgumentsFail(String line) {
        assertFails(Reason.InvalidArgs, () -> SwitchArgs.parseStrings(line.isEmpty() ? List.of() : split(line)));
    }

    @Test
    void everyTokenMustBeUtf8EvenTrailingOnes() {
        List<byte[]> raw = new ArrayList<>(bytes(split("mgr-0.2 db MIGRATING 1 0-1 2 a b c d")));
        raw.add(new byte[] {(byte) 0xfe});
        assertFails(Reason.InvalidArgs, () -> SwitchArgs.parse(raw));
        assertFails(Reason.InvalidClusterName, () -> SwitchArgs.parseStrings(split("mgr-0.2 d.b MIGRATING 1 0-1 2 a b c d")));
    }

    @Test
    void subCommandWords() {
        assertThat(SwitchCommand.fromWord("preswitch")).contains(SwitchCommand.PRESWITCH);
        assertThat(SwitchCommand.fromWord("FinalSwitch")).contains(SwitchCommand.FINALSWITCH);
        assertThat(SwitchCommand.fromWord("TMPSWITCH")).isEmpty();
    }
}
