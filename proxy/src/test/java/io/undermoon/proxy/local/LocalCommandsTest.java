package io.undermoon.proxy.local;

import static io.undermoon.proxy.EmbeddedProxy.finish;
import static io.undermoon.proxy.EmbeddedProxy.resp;
import static io.undermoon.proxy.EmbeddedProxy.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.undermoon.proxy.EmbeddedProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commands the proxy answers itself, on an {@link EmbeddedChannel}, with the exact bytes a client reads. */
class LocalCommandsTest {
    private final EmbeddedProxy proxy = new EmbeddedProxy();
    private final EmbeddedChannel ch = proxy.connect();

    @AfterEach
    void noLeftovers() {
        finish(ch);
    }

    @Test
    void connectionCommands() {
        assertThat(send(ch, resp("PING"))).isEqualTo("+PONG\r\n");
        assertThat(send(ch, resp("PING", "hi"))).isEqualTo("$2\r\nhi\r\n");
        assertThat(send(ch, resp("ECHO", ""))).isEqualTo("$0\r\n\r\n");
        assertThat(send(ch, resp("SELECT", "0"))).isEqualTo("+OK\r\n");
        assertThat(send(ch, resp("SELECT", "1"))).isEqualTo("-ERR SELECT is not allowed in cluster mode\r\n");
        assertThat(send(ch, resp("READONLY") + resp("ASKING"))).isEqualTo("+OK\r\n+OK\r\n");
    }

    @Test
    void clientNameIsKeptPerSession() {
        assertThat(send(ch, resp("CLIENT", "GETNAME"))).isEqualTo("$-1\r\n");
        assertThat(send(ch, resp("CLIENT", "SETNAME", "worker-1"))).isEqualTo("+OK\r\n");
        assertThat(send(ch, resp("CLIENT", "GETNAME"))).isEqualTo("$8\r\nworker-1\r\n");
        assertThat(send(ch, resp("CLIENT", "SETNAME", "a b")))
                .isEqualTo("-ERR Client names cannot contain spaces, newlines or special characters.\r\n");
        EmbeddedChannel other = proxy.connect();
        assertThat(send(other, resp("CLIENT", "GETNAME"))).isEqualTo("$-1\r\n");
        finish(other);
    }

    @Test
    void helloSpeaksRespTwoOnly() {
        assertThat(send(ch, resp("HELLO", "3"))).isEqualTo("-NOPROTO sorry, this protocol version is not supported\r\n");
        String hello = send(ch, resp("HELLO", "2", "SETNAME", "h"));
        assertThat(hello).startsWith("*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n").contains("$5\r\nproto\r\n:2\r\n")
                .contains("$4\r\nmode\r\n$7\r\ncluster\r\n");
        assertThat(send(ch, resp("CLIENT", "GETNAME"))).isEqualTo("$1\r\nh\r\n");
        assertThat(send(ch, resp("AUTH", "x"))).as("no password anywhere")
                .startsWith("-ERR AUTH <password> called without any password configured");
    }

    @Test
    void clusterCommandsFollowTheMetadata() {
        assertThat(send(ch, resp("CLUSTER", "KEYSLOT", "{user1}.name"))).isEqualTo(":8106\r\n");
        proxy.allSlotsOnPeer(ch, 3, "127.0.0.1:7001");
        String nodes = send(ch, resp("CLUSTER", "NODES"));
        assertThat(nodes).startsWith("$").contains("127.0.0.1:7001").contains("0-16383");
        assertThat(send(ch, resp("CLUSTER", "INFO"))).contains("cluster_state:ok");
        assertThat(send(ch, resp("CLUSTER", "RESET"))).startsWith("-ERR CLUSTER RESET is not supported by the undermoon proxy");
        assertThat(send(ch, resp("UMCTL", "GETEPOCH"))).isEqualTo(":3\r\n");
    }

    @Test
    void configGetMatchesGlobsAndConfigSetChangesOnlyTheSlowLog() {
        assertThat(send(ch, resp("CONFIG", "GET", "max_*_length"))).isEqualTo("*6\r\n$16\r\nmax_array_length\r\n$"
                + String.valueOf(proxy.config.maxArrayLength()).length() + "\r\n" + proxy.config.maxArrayLength() + "\r\n"
                + "$15\r\nmax_bulk_length\r\n$" + String.valueOf(proxy.config.maxBulkLength()).length() + "\r\n"
                + proxy.config.maxBulkLength() + "\r\n$17\r\nmax_inline_length\r\n$"
                + String.valueOf(proxy.config.maxInlineLength()).length() + "\r\n" + proxy.config.maxInlineLength() + "\r\n");
        assertThat(send(ch, resp("CONFIG", "SET", "slowlog_sample_rate", "7"))).isEqualTo("+OK\r\n");
        assertThat(proxy.context.slowLog().sampleRate()).isEqualTo(7);
        assertThat(send(ch, resp("CONFIG", "SET", "thread_number", "7"))).isEqualTo("-ERR config field thread_number is read-only\r\n");
    }

    @Test
    void infoShowsTheClusterAndTheCounters() {
        proxy.allSlotsOnPeer(ch, 2, "127.0.0.1:7001");
        String info = send(ch, resp("INFO"));
        assertThat(info).startsWith("$").contains("redis_mode:cluster\r\n").contains("cluster_name:mycluster\r\n")
                .contains("cluster_epoch:2\r\n").contains("connected_clients:1\r\n");
    }
}
