package io.undermoon.model.umctl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.umctl.UmctlParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test helpers: command lines as token lists. */
final class Tokens {
    static final List<String> DEFAULT_CONFIG = List.of(
            "CONFIG",
            "compression_strategy", "disabled",
            "migration_max_migration_time", "10800",
            "migration_max_blocking_time", "10000",
            "migration_scan_interval", "500",
            "migration_scan_count", "16");

    private Tokens() {}

    /** Splits on single spaces; {@code ""} (two quotes) stands for an empty token. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        for (String t : line.split(" ")) {
            out.add(t.equals("\"\"") ? "" : t);
        }
        return out;
    }

    /** The arguments after the first two words ({@code UMCTL <SUB>}). */
    static List<String> args(String commandLine) {
        List<String> all = split(commandLine);
        return all.subList(2, all.size());
    }

    static List<byte[]> bytes(List<String> tokens) {
        return tokens.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @SafeVarargs
    static List<String> concat(List<String>... parts) {
        List<String> out = new ArrayList<>();
        Arrays.stream(parts).forEach(out::addAll);
        return out;
    }

    static void assertFails(Reason reason, ThrowingCallable parse) {
        assertThatThrownBy(parse).isInstanceOfSatisfying(UmctlParseException.class,
                e -> org.assertj.core.api.Assertions.assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }
}
