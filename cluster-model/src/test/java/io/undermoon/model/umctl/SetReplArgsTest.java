package io.undermoon.model.umctl;

import static io.undermoon.model.umctl.Tokens.args;
import static io.undermoon.model.umctl.Tokens.assertFails;
import static io.undermoon.model.umctl.Tokens.bytes;
import static io.undermoon.model.umctl.Tokens.split;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.umctl.SetReplArgs.Master;
import io.undermoon.model.umctl.SetReplArgs.Peer;
import io.undermoon.model.umctl.SetReplArgs.Replica;
import io.undermoon.model.umctl.UmctlParseException.Reason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SetReplArgsTest {

    private static SetReplArgs parse(String argsLine) throws UmctlParseException {
        return SetReplArgs.parseStrings(split(argsLine));
    }

    @Test
    void forceLowerCaseRoundTripsAsUpperCase() throws Exception {
        SetReplArgs meta = SetReplArgs.parse(bytes(args(
                "UMCTL SETREPL 233 force master testcluster localhost:6000 1 localhost:6001 localhost:5299")));

        assertThat(meta.epoch()).isEqualTo(233);
        assertThat(meta.flags()).isEqualTo(new UmctlFlags(true, false));
        assertThat(meta.masters()).hasSize(1);
        assertThat(meta.replicas()).isEmpty();
        assertThat(String.join(" ", meta.toTokens()))
                .isEqualTo("233 FORCE master testcluster localhost:6000 1 localhost:6001 localhost:5299");
    }

    @Test
    void masterAndReplicaWithNoflag() throws Exception {
        String line = "233 noflag master testcluster localhost:6000 1 localhost:6001 localhost:5299"
                + " replica testcluster localhost:6001 1 localhost:6000 localhost:5299";
        SetReplArgs meta = parse(line);

        assertThat(meta.flags()).isEqualTo(UmctlFlags.NONE);
        assertThat(meta.entries()).containsExactly(
                new Master("testcluster", "localhost:6000", List.of(new Peer("localhost:6001", "localhost:5299"))),
                new Replica("testcluster", "localhost:6001", List.of(new Peer("localhost:6000", "localhost:5299"))));
        assertThat(String.join(" ", meta.toTokens())).isEqualTo(line.replace("noflag", "NOFLAG"));
    }

    @Test
    void coordinatorTestArgumentsExactly() {
        SetReplArgs meta = new SetReplArgs(7799, UmctlFlags.NONE, List.of(
                new Master("mycluster", "127.0.0.1:7001", List.of(new Peer("127.0.0.1:7002", "127.0.0.1:6001")))));

        assertThat(meta.toTokens()).containsExactly(
                "7799", "NOFLAG", "master", "mycluster", "127.0.0.1:7001", "1", "127.0.0.1:7002", "127.0.0.1:6001");
    }

    @Test
    void coordinatorSectionExample() throws Exception {
        List<String> args = args("UMCTL SETREPL 3 NOFLAG master mycluster 127.0.0.1:7001 1 127.0.0.1:7004 127.0.0.1:6002"
                + " replica mycluster 127.0.0.1:7002 1 127.0.0.1:7003 127.0.0.1:6002");
        SetReplArgs built = new SetReplArgs(3, UmctlFlags.NONE, List.of(
                new Master("mycluster", "127.0.0.1:7001", List.of(new Peer("127.0.0.1:7004", "127.0.0.1:6002"))),
                new Replica("mycluster", "127.0.0.1:7002", List.of(new Peer("127.0.0.1:7003", "127.0.0.1:6002")))));

        assertThat(built.toTokens()).isEqualTo(args);
        assertThat(SetReplArgs.parseStrings(args)).isEqualTo(built);
    }

    @Test
    void freeNodes() throws Exception {
        SetReplArgs free = new SetReplArgs(5, UmctlFlags.NONE,
                List.of(Master.free("127.0.0.1:7001"), Master.free("127.0.0.1:7002")));
        List<String> expected = split("5 NOFLAG master \"\" 127.0.0.1:7001 0 master \"\" 127.0.0.1:7002 0");

        assertThat(free.toTokens()).isEqualTo(expected);
        assertThat(SetReplArgs.parse(bytes(expected))).isEqualTo(free);
    }

    @Test
    void rolesAreCaseInsensitiveAndOrderIsKept() throws Exception {
        SetReplArgs meta = parse("1 NOFLAG Replica c n1 0 MASTER c n2 2 a b c d");

        assertThat(meta.entries().get(0)).isEqualTo(new Replica("c", "n1", List.of()));
        assertThat(meta.entries().get(1).peers()).containsExactly(new Peer("a", "b"), new Peer("c", "d"));
        assertThat(meta.toTokens()).isEqualTo(split("1 NOFLAG replica c n1 0 master c n2 2 a b c d"));
        assertThat(parse("1 NOFLAG").entries()).isEmpty();
    }

    @Test
    void nonUtf8TokensAreSkipped() throws Exception {
        List<byte[]> raw = new ArrayList<>(bytes(split("1 NOFLAG master c n1 0")));
        raw.add(2, new byte[] {(byte) 0x80});
        assertThat(SetReplArgs.parse(raw)).isEqualTo(parse("1 NOFLAG master c n1 0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "1", "-1 NOFLAG", "x NOFLAG", "1 NOFLAG slave c n1 0", "1 NOFLAG master", "1 NOFLAG master c",
        "1 NOFLAG master c n1", "1 NOFLAG master c n1 x", "1 NOFLAG master c n1 1 a", "1 NOFLAG master c n1 2 a b c",
        "1 NOFLAG master c n1 2147483647 a b", "1 NOFLAG master c n1 99999999999999999999999 a b",
        "1 NOFLAG master c n1 0 replica",
    })
    void malformedArgumentsAreInvalidArgs(String line) {
        assertFails(Reason.InvalidArgs, () -> parse(line));
    }

    @Test
    void badClusterNameIsInvalidClusterName() {
        assertFails(Reason.InvalidClusterName, () -> parse("1 NOFLAG master bad.name n1 0"));
    }

    @Test
    void constructorRejectsBadValues() {
        assertThatThrownBy(() -> new SetReplArgs(-1, UmctlFlags.NONE, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Master("no space", "n", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Peer(null, "p")).isInstanceOf(NullPointerException.class);
    }
}
