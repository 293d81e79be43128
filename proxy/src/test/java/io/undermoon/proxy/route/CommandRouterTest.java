package io.undermoon.proxy.route;

import static io.undermoon.proxy.EmbeddedProxy.finish;
import static io.undermoon.proxy.EmbeddedProxy.resp;
import static io.undermoon.proxy.EmbeddedProxy.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.undermoon.model.SlotHash;
import io.undermoon.proxy.EmbeddedProxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the router decides before any backend is involved, on an {@link EmbeddedChannel}: MOVED to
 * the owner, no cluster, cross-slot and keyless commands, unknown and refused commands, blocking
 * timeouts, authentication and UMFORWARD.
 */
class CommandRouterTest {
    private static final String PEER = "127.0.0.1:7001";
    private final EmbeddedProxy proxy = new EmbeddedProxy();
    private EmbeddedChannel ch = proxy.connect();

    @AfterEach
    void noLeftovers() {
        finish(ch);
    }

    private static int slot(String key) {
        return SlotHash.slot(key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aKeyOfAPeersSlotGetsMovedToThatPeer() {
        proxy.allSlotsOnPeer(ch, 1, PEER);
        assertThat(send(ch, resp("GET", "foo") + resp("SET", "{foo}bar", "v")))
                .isEqualTo("-MOVED " + slot("foo") + " " + PEER + "\r\n-MOVED " + slot("foo") + " " + PEER + "\r\n");
    }

    @Test
    void withoutAClusterDataCommandsAreRefused() {
        assertThat(send(ch, resp("GET", "foo"))).isEqualTo("-ERR_CLUSTER_NOT_FOUND\r\n");
        assertThat(send(ch, resp("DBSIZE"))).isEqualTo("-ERR_CLUSTER_NOT_FOUND\r\n");
    }

    @Test
    void aDefaultRedirectionAddressAnswersMovedWithoutACluster() {
        EmbeddedProxy redirecting = new EmbeddedProxy(Map.of("default_redirection_address", PEER));
        EmbeddedChannel other = redirecting.connect();
        assertThat(send(other, resp("GET", "foo"))).isEqualTo("-MOVED " + slot("foo") + " " + PEER + "\r\n");
        finish(other);
    }

    @Test
    void keysOfDifferentSlotsAreRefusedAndAKeylessDataCommandToo() {
        proxy.allSlotsOnPeer(ch, 1, PEER);
        assertThat(send(ch, resp("MGET", "a", "b"))).isEqualTo("-CROSSSLOT Keys in request don't hash to the same slot\r\n");
        assertThat(send(ch, resp("MGET", "{t}a", "{t}b"))).startsWith("-MOVED " + slot("t") + " ");
        assertThat(send(ch, resp("EVAL", "return 1", "-1"))).isEqualTo("-ERR numkeys should be a non-negative integer\r\n");
    }

    @Test
    void unknownAndWrongArityAndUnsupportedCommandsGetRedisErrors() {
        assertThat(send(ch, resp("FOO", "x", "y"))).isEqualTo("-ERR unknown command 'FOO', with args beginning with: 'x' 'y'\r\n");
        assertThat(send(ch, resp("GET"))).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
        assertThat(send(ch, resp("MONITOR"))).startsWith("-ERR MONITOR is not supported by the undermoon proxy");
    }

    @Test
    void aBlockingCommandsTimeoutIsCheckedBeforeAnythingIsSent() {
        proxy.allSlotsOnPeer(ch, 1, PEER);
        assertThat(send(ch, resp("BLPOP", "q", "soon"))).isEqualTo("-ERR timeout is not a float or out of range\r\n");
        assertThat(send(ch, resp("BLPOP", "q", "-1"))).isEqualTo("-ERR timeout is negative\r\n");
        assertThat(send(ch, resp("XREAD", "BLOCK", "x", "STREAMS", "s", "$")))
                .isEqualTo("-ERR timeout is not a float or out of range\r\n");
        assertThat(send(ch, resp("BLPOP", "q", "0.5"))).as("a valid one follows the route: MOVED")
                .isEqualTo("-MOVED " + slot("q") + " " + PEER + "\r\n");
        assertThat(send(ch, resp("PING"))).as("the session goes on after the blocking command's answer")
                .isEqualTo("+PONG\r\n");
    }

    @Test
    void withAProxyPasswordOnlyAuthHelloAndQuitPassBeforeAuth() {
        EmbeddedProxy guarded = new EmbeddedProxy(Map.of("password", "s3cret"));
        EmbeddedChannel other = guarded.connect();
        assertThat(send(other, resp("GET", "foo") + resp("PING"))).isEqualTo("-NOAUTH Authentication required.\r\n"
                + "-NOAUTH Authentication required.\r\n");
        assertThat(send(other, resp("AUTH", "wrong")))
                .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
        assertThat(send(other, resp("AUTH", "s3cret") + resp("PING"))).isEqualTo("+OK\r\n+PONG\r\n");
        finish(other);
    }

    @Test
    void aClusterPasswordIsNeededForDataCommands() {
        assertThat(send(ch, resp("UMCTL", "SETCLUSTER", "v2", "1", "NOFLAG", "mycluster", "PEER", PEER, "1", "0-16383",
                "CONFIG", "password", "pw"))).isEqualTo("+OK\r\n");
        assertThat(send(ch, resp("GET", "foo"))).startsWith("-NOAUTH Authentication required: this proxy's cluster has a password");
        assertThat(send(ch, resp("PING"))).as("the proxy's own commands need no cluster password").isEqualTo("+PONG\r\n");
        assertThat(send(ch, resp("AUTH", "pw") + resp("GET", "foo"))).isEqualTo("+OK\r\n-MOVED " + slot("foo") + " " + PEER + "\r\n");
    }

    @Test
    void umforwardRunsTheCarriedDataCommand() {
        proxy.allSlotsOnPeer(ch, 1, PEER);
        assertThat(send(ch, resp("UMFORWARD", "-1", "GET", "foo"))).isEqualTo("-invalid redirection times\r\n");
        assertThat(send(ch, resp("UMFORWARD", "1", "GET", "foo"))).isEqualTo("-MOVED " + slot("foo") + " " + PEER + "\r\n");
        assertThat(send(ch, resp("UMFORWARD", "1", "PING"))).isEqualTo("-ERR UMFORWARD can only carry data commands\r\n");
        assertThat(send(ch, resp("UMFORWARD", "1", "NOPE"))).startsWith("-ERR unknown command 'NOPE'");
    }
}
