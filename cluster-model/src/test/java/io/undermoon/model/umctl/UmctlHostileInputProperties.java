package io.undermoon.model.umctl;

import static io.undermoon.model.umctl.Tokens.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * Arbitrary input never escapes as anything but {@link UmctlParseException}, never allocates in
 * proportion to a count it claims, and whatever it does accept re-encodes to itself.
 */
class UmctlHostileInputProperties {

    private interface Parse {
        Object run() throws UmctlParseException;
    }

    /** The parse result, or null when it was refused with a reason. Anything else propagates. */
    private static Object parseOrRefuse(Parse parse) {
        try {
            return parse.run();
        } catch (UmctlParseException e) {
            assertThat(e.reason()).isNotNull();
            return null;
        }
    }

    @Property(tries = 1000)
    void setClusterOnRandomTokens(@ForAll("hostileTokens") List<String> tokens) throws Exception {
        Object parsed = parseOrRefuse(() -> SetClusterArgs.parseStrings(tokens));
        if (parsed instanceof SetClusterArgs args) {
            assertThat(SetClusterArgs.parseStrings(args.toTokens())).isEqualTo(UmctlRoundTripProperties.plainImage(args));
        }
    }

    @Property(tries = 1000)
    void setClusterOnVersionedRandomTokens(@ForAll("hostileTokens") List<String> tail) throws Exception {
        List<String> tokens = new ArrayList<>(List.of("v2", "1", "NOFLAG", "c"));
        tokens.addAll(tail);
        Object parsed = parseOrRefuse(() -> SetClusterArgs.parseStrings(tokens));
        if (parsed instanceof SetClusterArgs args) {
            assertThat(SetClusterArgs.parseStrings(args.toTokens())).isEqualTo(UmctlRoundTripProperties.plainImage(args));
        }
        Statistics.label("outcome").collect(parsed == null ? "refused" : "accepted");
        Statistics.label("outcome").coverage(c -> c.check("accepted").percentage(p -> p > 1));
    }

    @Property(tries = 500)
    void mutatedValidSetClusterTokens(@ForAll("setCluster") SetClusterArgs valid, @ForAll("edits") List<Edit> edits)
            throws Exception {
        List<String> tokens = new ArrayList<>(valid.toTokens());
        edits.forEach(edit -> edit.apply(tokens));
        Object parsed = parseOrRefuse(() -> SetClusterArgs.parseStrings(tokens));
        if (parsed instanceof SetClusterArgs args) {
            assertThat(SetClusterArgs.parseStrings(args.toTokens())).isEqualTo(UmctlRoundTripProperties.plainImage(args));
        }
        Statistics.label("outcome").collect(parsed == null ? "refused" : "accepted");
        Statistics.label("outcome").coverage(c -> {
            c.check("accepted").percentage(p -> p > 2);
            c.check("refused").percentage(p -> p > 2);
        });
    }

    @Property(tries = 500)
    void mutatedValidSetReplTokens(@ForAll("setRepl") SetReplArgs valid, @ForAll("edits") List<Edit> edits) throws Exception {
        List<String> tokens = new ArrayList<>(valid.toTokens());
        edits.forEach(edit -> edit.apply(tokens));
        Object parsed = parseOrRefuse(() -> SetReplArgs.parseStrings(tokens));
        if (parsed instanceof SetReplArgs args) {
            assertThat(SetReplArgs.parseStrings(args.toTokens())).isEqualTo(args);
        }
    }

    @Property(tries = 500)
    void mutatedValidSwitchTokens(@ForAll("task") MigrationTask task, @ForAll("edits") List<Edit> edits) throws Exception {
        List<String> tokens = new ArrayList<>(SwitchArgs.of(task).toTokens());
        edits.forEach(edit -> edit.apply(tokens));
        Object parsed = parseOrRefuse(() -> SwitchArgs.parseStrings(tokens));
        if (parsed instanceof SwitchArgs args) {
            assertThat(SwitchArgs.parseStrings(args.toTokens())).isEqualTo(args);
        }
        Object line = parseOrRefuse(() -> MigrationTask.parse(String.join(" ", tokens.subList(Math.min(1, tokens.size()),
                tokens.size()))));
        if (line instanceof MigrationTask parsedTask) {
            assertThat(MigrationTask.parse(parsedTask.toText())).isEqualTo(parsedTask);
        }
    }

    @Property(tries = 1000)
    void everyParserOnRandomBytes(@ForAll("hostileByteTokens") List<byte[]> tokens) {
        parseOrRefuse(() -> SetClusterArgs.parse(tokens));
        parseOrRefuse(() -> SetReplArgs.parse(tokens));
        parseOrRefuse(() -> SwitchArgs.parse(tokens));
        for (byte[] token : tokens) {
            parseOrRefuse(() -> MigrationTask.parse(token));
        }
        List<byte[]> versioned = new ArrayList<>(bytes(List.of("v2", "5", "NOFLAG", "c")));
        versioned.addAll(tokens);
        parseOrRefuse(() -> SetClusterArgs.parse(versioned));
    }

    @Property(tries = 300)
    void compressedPayloadOfRandomBytes(@ForAll byte[] payload, @ForAll boolean gzip) throws Exception {
        String data = gzip ? CompressedSetClusterTest.pack(payload) : Base64.getEncoder().encodeToString(payload);
        parseOrRefuse(() -> SetClusterArgs.parseStrings(List.of("v2", "1", "COMPRESS", data)));
    }

    @Property(tries = 500)
    void compressedPayloadOfMutatedJson(@ForAll("setCluster") SetClusterArgs valid,
            @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll("jsonNoise") String noise) throws Exception {
        String json = CompressedSetClusterTest.unpack(valid.toCompressedTokens().get(3));
        int at = position % (json.length() + 1);
        String mutated = json.substring(0, at) + noise + json.substring(Math.min(json.length(), at + noise.length() % 3));
        Object parsed = parseOrRefuse(() -> SetClusterArgs.parseStrings(
                List.of("v2", "1", "COMPRESS", CompressedSetClusterTest.pack(mutated))));
        if (parsed instanceof SetClusterArgs args) {
            assertThat(SetClusterArgs.parseStrings(args.toCompressedTokens())).isEqualTo(args);
        }
    }

    @Property(tries = 50)
    void hugeClaimedCountsAllocateNothingProportional(@ForAll @LongRange(min = 10_000_000L, max = Long.MAX_VALUE) long count) {
        String n = Long.toString(count);
        List<List<String>> inputs = List.of(
                List.of("v2", "1", "NOFLAG", "c", "a:1", n, "0-1"),
                List.of("v2", "1", "NOFLAG", "c", "a:1", "MIGRATING", n, "0-1", "1", "a", "b", "c", "d"),
                List.of("1", "NOFLAG", "master", "c", "n", n, "a", "b"),
                List.of("mgr-0.2", "c", "IMPORTING", n, "0-1", "1", "a", "b", "c", "d"));
        warmUp(inputs);
        for (List<String> input : inputs) {
            long allocated = allocatedBytes(() -> parseAll(input));
            assertThat(allocated).as("bytes allocated for %s", input).isLessThan(1_000_000L);
        }
    }

    @Test
    void theAllocationProbeSeesLargeAllocations() {
        long allocated = allocatedBytes(() -> new ArrayList<Object>(10_000_000).add(null));
        assertThat(allocated).isGreaterThan(10_000_000L);
    }

    private static void warmUp(List<List<String>> inputs) {
        for (int i = 0; i < 3; i++) {
            inputs.forEach(UmctlHostileInputProperties::parseAll);
        }
    }

    private static void parseAll(List<String> input) {
        parseOrRefuse(() -> SetClusterArgs.parseStrings(input));
        parseOrRefuse(() -> SetReplArgs.parseStrings(input));
        parseOrRefuse(() -> SwitchArgs.parseStrings(input));
    }

    private static long allocatedBytes(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        work.run();
        return threads.getThreadAllocatedBytes(id) - before;
    }

    /** One edit of a token list: delete, insert, replace or duplicate at a position. */
    record Edit(int kind, int position, String token) {
        void apply(List<String> tokens) {
            int at = tokens.isEmpty() ? 0 : Math.floorMod(position, tokens.size());
            switch (kind) {
                case 0 -> {
                    if (!tokens.isEmpty()) {
                        tokens.remove(at);
                    }
                }
                case 1 -> tokens.add(at, token);
                case 2 -> {
                    if (!tokens.isEmpty()) {
                        tokens.set(at, token);
                    }
                }
                default -> {
                    if (!tokens.isEmpty()) {
                        tokens.add(at, tokens.get(at));
                    }
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        return net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers(),
                        Arbitraries.of(UmctlArbitraries.VOCABULARY))
                .as(Edit::new).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> jsonNoise() {
        return Arbitraries.oneOf(
                Arbitraries.of("", "\"", "{", "}", "[", "]", ",", ":", "null", "-1", "1.5", "16384", "\"None\"",
                        "99999999999999999999", "\\u0000", "\"Migrating\"", "true"),
                Arbitraries.strings().ofMaxLength(4));
    }

    @Provide
    Arbitrary<List<String>> hostileTokens() {
        return UmctlArbitraries.hostileTokens();
    }

    @Provide
    Arbitrary<List<byte[]>> hostileByteTokens() {
        return UmctlArbitraries.hostileByteTokens();
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
