package io.undermoon.model.umctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;

/** The {@code UMCTL REPLSTATUS} line: its text form, what is accepted and what is refused. */
class ReplStatusTest {

    @Test
    void aReplicaLineRoundTrips() throws UmctlParseException {
        String line = "replica node=127.0.0.1:7004 cluster=mycluster master=127.0.0.1:7001 link=up synced=yes offset=4242";
        ReplStatus s = ReplStatus.parse(line);
        assertThat(s).isEqualTo(new ReplStatus.Replica("127.0.0.1:7004", "mycluster", "127.0.0.1:7001", true,
                ReplStatus.Synced.YES, 4242));
        assertThat(s.toText()).isEqualTo(line);
    }

    @Test
    void aMasterLineRoundTrips() throws UmctlParseException {
        String line = "master node=127.0.0.1:7001 cluster=mycluster replicas_online=1 offset=4242";
        ReplStatus s = ReplStatus.parse(line);
        assertThat(s).isEqualTo(new ReplStatus.Master("127.0.0.1:7001", "mycluster", 1, 4242));
        assertThat(s.toText()).isEqualTo(line);
        // a free node: the empty cluster name
        ReplStatus free = new ReplStatus.Master("127.0.0.1:7002", "", 0, -1);
        assertThat(free.toText()).isEqualTo("master node=127.0.0.1:7002 cluster= replicas_online=0 offset=-1");
        assertThat(ReplStatus.parse(free.toText())).isEqualTo(free);
    }

    @Test
    void unknownKeysAndRolesAreSkippedMissingOptionalKeysDefault() throws UmctlParseException {
        assertThat(ReplStatus.parse("replica node=a:1 master=b:2 lag=3 state=connected")).isEqualTo(
                new ReplStatus.Replica("a:1", "", "b:2", false, ReplStatus.Synced.UNKNOWN, -1));
        assertThat(ReplStatus.parse("sentinel node=a:1")).isNull();
        assertThat(ReplStatus.parseAll(List.of("sentinel x=1", "master node=a:1"))).containsExactly(
                new ReplStatus.Master("a:1", "", 0, -1));
        assertThat(ReplStatus.parse("replica node=a:1 master=b:2 synced=no link=down")).isEqualTo(
                new ReplStatus.Replica("a:1", "", "b:2", false, ReplStatus.Synced.NO, -1));
        assertThat(ReplStatus.parse("replica node=a:1 master=b:2 synced=unknown")).extracting(s -> ((ReplStatus.Replica) s).synced())
                .isEqualTo(ReplStatus.Synced.UNKNOWN);
    }

    @Test
    void malformedLinesAreRefusedWithAParseError() {
        for (String bad : List.of(
                "",
                "replica",                                    // no node
                "replica node=a:1",                           // a replica without master
                "master cluster=c",                           // no node
                "master node=",                               // empty node
                "master node=a=b",                            // '=' in an address
                "master node=a:1 node=a:2",                   // repeated key
                "master node=a:1  offset=1",                  // two spaces: an empty token
                "master node=a:1 offset",                     // no '='
                "master node=a:1 =1",                         // empty key
                "master node=a:1 offset=-2",                  // below -1
                "master node=a:1 offset=1.5",
                "master node=a:1 offset=99999999999999999999",
                "master node=a:1 replicas_online=-1",
                "master node=a:1 replicas_online=4294967296",
                "replica node=a:1 master=b:2 link=maybe",
                "replica node=a:1 master=b:2 synced=true",
                "Replica node=a:1 master=b:2")) {            // role words are lower case: an unknown role
            if (bad.startsWith("Replica")) {
                assertThatNoException(bad);
                continue;
            }
            assertThatThrownBy(() -> ReplStatus.parse(bad)).as(bad).isInstanceOf(UmctlParseException.class);
        }
        assertThatThrownBy(() -> ReplStatus.parse("master node=a:1 cluster=bad/name"))
                .isInstanceOfSatisfying(UmctlParseException.class,
                        e -> assertThat(e.reason()).isEqualTo(UmctlParseException.Reason.InvalidClusterName));
    }

    private static void assertThatNoException(String line) {
        try {
            assertThat(ReplStatus.parse(line)).isNull();
        } catch (UmctlParseException e) {
            throw new AssertionError(line + ": " + e);
        }
    }

    @Test
    void valuesBuiltInCodeAreChecked() {
        assertThatThrownBy(() -> new ReplStatus.Master("", "c", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplStatus.Master("a b", "c", 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplStatus.Master("a:1", "c", -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplStatus.Replica("a:1", "c", "b:2", true, ReplStatus.Synced.YES, -2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplStatus.Replica("a:1", "x y", "b:2", true, ReplStatus.Synced.YES, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 2000)
    void anyLineParsesOrIsRefusedNeverThrowsAnythingElse(@ForAll("hostileLines") String line) {
        try {
            ReplStatus s = ReplStatus.parse(line);
            if (s != null) {
                assertThat(ReplStatus.parse(s.toText())).isEqualTo(s);
            }
        } catch (UmctlParseException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @Property(tries = 1000)
    void everyStatusRoundTrips(@ForAll("statuses") ReplStatus s) throws UmctlParseException {
        assertThat(ReplStatus.parse(s.toText())).isEqualTo(s);
    }

    @Provide
    Arbitrary<String> hostileLines() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of("replica", "master", "node=a:1", "master=b:2", "cluster=c", "cluster=", "link=up", "link=down",
                        "synced=yes", "synced=no", "synced=unknown", "offset=-1", "offset=7", "replicas_online=2", "=", "x=",
                        "node=", "offset=-", "offset=+1", "offset=18446744073709551616", ""),
                Arbitraries.strings().ofMaxLength(12));
        return word.list().ofMaxSize(9).map(ws -> String.join(" ", ws));
    }

    @Provide
    Arbitrary<ReplStatus> statuses() {
        Arbitrary<String> address = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars(':', '.', '[', ']')
                .ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> cluster = Arbitraries.strings().withCharRange('a', 'z').withChars('@', '-', '_').ofMaxLength(31);
        Arbitrary<Long> offset = Arbitraries.longs().between(-1, Long.MAX_VALUE);
        Arbitrary<ReplStatus> replica = Combinators.combine(address, cluster, address, Arbitraries.of(true, false),
                Arbitraries.of(ReplStatus.Synced.class), offset).as(ReplStatus.Replica::new);
        Arbitrary<ReplStatus> master = Combinators.combine(address, cluster, Arbitraries.integers().between(0, Integer.MAX_VALUE), offset)
                .as(ReplStatus.Master::new);
        return Arbitraries.oneOf(replica, master);
    }
}
