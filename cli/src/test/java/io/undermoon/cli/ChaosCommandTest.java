package io.undermoon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ChaosCommandTest {

    @Test
    void durationsAreWrittenLikeTheyAreSaid() {
        ChaosCommand.DurationConverter c = new ChaosCommand.DurationConverter();
        assertThat(c.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> c.convert("5 minutes")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("not a duration");
    }

    @Test
    void badOptionsStopBeforeAnythingStarts(@TempDir Path earlierRun) throws Exception {
        Files.writeString(earlierRun.resolve("metadata"), "{\"global_epoch\":3}");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new ChaosCommand()).execute("--proxies", "2")).isEqualTo(2);
            assertThat(new CommandLine(new ChaosCommand()).execute("--duration", "forever")).isEqualTo(2);
            assertThat(new CommandLine(new ChaosCommand()).execute("--actions", "NOPE")).isEqualTo(2);
            assertThat(new CommandLine(new ChaosCommand()).execute("--data-dir", earlierRun.toString())).isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("proxies must be 4..32").contains("not a duration")
                .contains("holds the metadata of an earlier run");
    }
}
