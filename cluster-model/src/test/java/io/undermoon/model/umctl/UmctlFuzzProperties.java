package io.undermoon.model.umctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.testsupport.fuzz.Allocation;
import io.undermoon.testsupport.fuzz.ByteMutator;
import io.undermoon.testsupport.fuzz.HangGuard;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Byte-level fuzzing of the UMCTL grammar, complementing {@link UmctlHostileInputProperties} (which
 * edits whole tokens): valid commands are rendered to the bytes a proxy receives, mutated inside and
 * across tokens (bit flips, non-UTF-8 bytes, dictionary words, huge numbers, merged and split
 * tokens), and parsed again; the gzip stream of the compressed SETCLUSTER form is mutated as bytes;
 * and a compression bomb must be refused without inflating it. Every parse runs under a deadline and
 * ends in a value that re-encodes to itself or in an {@link UmctlParseException} with a reason.
 */
class UmctlFuzzProperties {
    private static final HangGuard GUARD = new HangGuard("umctl", Duration.ofSeconds(10));
    private static final ByteMutator MUTATOR = new ByteMutator(List.of(" ", "  ", "-", "--", ",", "PEER", "CONFIG",
            "MIGRATING", "IMPORTING", "FORCE", "COMPRESS", "NOFLAG", "master", "replica", "v2", "mgr-0.2", "0-16383",
            "16384", "16383-0", "1-2-3", ":", "127.0.0.1:6379", "compression_strategy", "migration_scan_count", "allow_all",
            "\u00ff", "\u00c3\u0028", "\u00e2\u0082", "\u0000", "\u540d", "\r\n", "H4sI", "="));

    @AfterContainer
    static void stopGuard() {
        GUARD.close();
    }

    private interface Parse {
        Object run() throws UmctlParseException;
    }

    /** The parsed value, or null when refused with a reason; anything else fails the property. */
    private static Object parseOrRefuse(Object input, Parse parse) throws Exception {
        return GUARD.call(input, () -> {
            try {
                return parse.run();
            } catch (UmctlParseException e) {
                assertThat(e.reason()).isNotNull();
                assertThat(e.getMessage()).isNotBlank();
                return null;
            }
        });
    }

    @Property
    void byteMutatedSetCluster(@ForAll("setCluster") SetClusterArgs valid, @ForAll @IntRange(min = 1, max = 6) int edits,
            @ForAll long seed) throws Exception {
        List<byte[]> tokens = mutateTokens(valid.toTokens(), edits, new Random(seed));
        Object parsed = parseOrRefuse(tokens, () -> SetClusterArgs.parse(tokens));
        if (parsed instanceof SetClusterArgs args) {
            assertThat(SetClusterArgs.parseStrings(args.toTokens())).isEqualTo(UmctlRoundTripProperties.plainImage(args));
        }
        Statistics.label("outcome").collect(parsed == null ? "refused" : "accepted");
    }

    @Property
    void byteMutatedSetRepl(@ForAll("setRepl") SetReplArgs valid, @ForAll @IntRange(min = 1, max = 6) int edits,
            @ForAll long seed) throws Exception {
        List<byte[]> tokens = mutateTokens(valid.toTokens(), edits, new Random(seed));
        Object parsed = parseOrRefuse(tokens, () -> SetReplArgs.parse(tokens));
        if (parsed instanceof SetReplArgs args) {
            assertThat(SetReplArgs.parseStrings(args.toTokens())).isEqualTo(args);
        }
    }

    @Property
    void byteMutatedSwitchAndInfomgr(@ForAll("task") MigrationTask task, @ForAll @IntRange(min = 1, max = 6) int edits,
            @ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        List<byte[]> tokens = mutateTokens(SwitchArgs.of(task).toTokens(), edits, rnd);
        Object parsed = parseOrRefuse(tokens, () -> SwitchArgs.parse(tokens));
        if (parsed instanceof SwitchArgs args) {
            assertThat(SwitchArgs.parseStrings(args.toTokens())).isEqualTo(args);
        }
        byte[] line = MUTATOR.mutate(task.toText().getBytes(StandardCharsets.UTF_8), rnd, edits);
        Object fromLine = parseOrRefuse(line, () -> MigrationTask.parse(line));
        if (fromLine instanceof MigrationTask t) {
            assertThat(MigrationTask.parse(t.toText())).isEqualTo(t);
        }
    }

    /** Flipped bits, truncation and junk inside the gzip stream of the compressed form. */
    @Property
    void mutatedGzipOfCompressedSetCluster(@ForAll("setCluster") SetClusterArgs valid,
            @ForAll @IntRange(min = 1, max = 4) int edits, @ForAll boolean mutateText, @ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        List<String> compressed = valid.toCompressedTokens();
        String data;
        if (mutateText) {
            data = new String(MUTATOR.mutate(compressed.get(3).getBytes(StandardCharsets.UTF_8), rnd, edits),
                    StandardCharsets.UTF_8);
        } else {
            byte[] gzip = Base64.getDecoder().decode(compressed.get(3));
            data = Base64.getEncoder().encodeToString(MUTATOR.mutate(gzip, rnd, edits));
        }
        List<String> tokens = List.of(compressed.get(0), compressed.get(1), compressed.get(2), data);
        Object parsed = parseOrRefuse(data, () -> SetClusterArgs.parseStrings(tokens));
        if (parsed instanceof SetClusterArgs args) {
            assertThat(SetClusterArgs.parseStrings(args.toCompressedTokens())).isEqualTo(args);
        }
    }

    /** A 250 KiB gzip stream that inflates to 256 MiB is refused after at most 16 MiB. */
    @Example
    void aCompressionBombIsRefusedWithoutInflatingIt() throws Exception {
        String bomb = Base64.getEncoder().encodeToString(gzipOfZeros(256 << 20));
        assertThat(bomb.length()).isLessThan(400_000);
        List<String> tokens = List.of("v2", "1", "COMPRESS", bomb);
        UmctlParseException[] refused = new UmctlParseException[1];
        long cost = GUARD.call("bomb", () -> Allocation.measure(() -> {
            try {
                SetClusterArgs.parseStrings(tokens);
            } catch (UmctlParseException e) {
                refused[0] = e;
            }
        }));
        assertThat(refused[0]).isNotNull().hasMessageContaining("inflates beyond");
        assertThat(cost).as("bytes allocated to refuse the bomb").isLessThan(3L * CompressedClusterMeta.MAX_JSON_BYTES);
    }

    private static byte[] gzipOfZeros(int size) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[1 << 20];
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            for (int i = 0; i < size / zeros.length; i++) {
                gzip.write(zeros);
            }
        }
        return out.toByteArray();
    }

    /** The tokens as the bytes of one command line, mutated, and split on spaces again. */
    private static List<byte[]> mutateTokens(List<String> tokens, int edits, Random rnd) {
        byte[] line = String.join(" ", tokens).getBytes(StandardCharsets.UTF_8);
        byte[] mutated = MUTATOR.mutate(line, rnd, edits);
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= mutated.length; i++) {
            if (i == mutated.length || mutated[i] == ' ') {
                out.add(Arrays.copyOfRange(mutated, start, i));
                start = i + 1;
            }
        }
        return out;
    }

    @Provide
    Arbitrary<SetClusterArgs> setCluster() {
        return UmctlArbitraries.setClusterArgs();
    }

    @Provide
    Arbitrary<SetReplArgs> setRepl() {
        return UmctlArbitraries.setReplArgs();
    }

    @Provide
    Arbitrary<MigrationTask> task() {
        return UmctlArbitraries.migrationTasks();
    }
}
