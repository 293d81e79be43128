package io.undermoon.proxy.meta;

import static io.undermoon.proxy.EmbeddedProxy.finish;
import static io.undermoon.proxy.EmbeddedProxy.resp;
import static io.undermoon.proxy.EmbeddedProxy.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.undermoon.proxy.EmbeddedProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The coordinator's meta commands on an {@link EmbeddedChannel}: epochs, hosts, and the switch commands without a task. */
class UmctlCommandsTest {
    private static final String PEER = "127.0.0.1:7001";
    private final EmbeddedProxy proxy = new EmbeddedProxy();
    private final EmbeddedChannel ch = proxy.connect();

    @AfterEach
    void noLeftovers() {
        finish(ch);
    }

    @Test
    void setClusterTakesOnlyANewerEpochUnlessForced() {
        assertThat(send(ch, resp("UMCTL", "GETEPOCH"))).isEqualTo(":0\r\n");
        proxy.allSlotsOnPeer(ch, 5, PEER);
        assertThat(send(ch, resp("UMCTL", "SETCLUSTER", "v2", "5", "NOFLAG", "other", "PEER", PEER, "1", "0-16383")))
                .isEqualTo("-OLD_EPOCH\r\n");
        assertThat(send(ch, resp("UMCTL", "SETCLUSTER", "v2", "4", "FORCE", "other", "PEER", PEER, "1", "0-16383")))
                .isEqualTo("+OK\r\n");
        assertThat(send(ch, resp("UMCTL", "GETEPOCH"))).isEqualTo(":4\r\n");
        assertThat(send(ch, resp("UMCTL", "LISTCLUSTER"))).isEqualTo("*1\r\n$5\r\nother\r\n");
    }

    @Test
    void aLocalNodeOnAnotherHostIsNotThisProxysMeta() {
        assertThat(send(ch, resp("UMCTL", "SETCLUSTER", "v2", "2", "NOFLAG", "c", "10.9.9.9:6379", "1", "0-16383")))
                .isEqualTo("-ERR_NOT_MY_META\r\n");
        assertThat(send(ch, resp("UMCTL", "GETEPOCH"))).isEqualTo(":0\r\n");
        assertThat(send(ch, resp("UMCTL", "SETCLUSTER", "v2", "x"))).startsWith("-Failed to parse args: ");
    }

    @Test
    void switchCommandsAndUmsyncWithoutATaskAreRefused() {
        proxy.allSlotsOnPeer(ch, 9, PEER);
        String task = "mycluster IMPORTING 1 0-100 9 127.0.0.1:7000 127.0.0.1:6000 127.0.0.1:6001 127.0.0.1:6002";
        String[] precheck = ("UMCTL PRECHECK mgr-0.2 " + task).split(" ");
        assertThat(send(ch, resp(precheck))).isEqualTo("-TASK_NOT_FOUND\r\n");
        assertThat(send(ch, resp("UMSYNC", "foo"))).isEqualTo("-MIGRATION_TASK_NOT_FOUND\r\n");
        assertThat(send(ch, resp("UMCTL", "INFOMGR"))).isEqualTo("*0\r\n");
    }

    @Test
    void unknownSubCommandsAreRefused() {
        assertThat(send(ch, resp("UMCTL", "NOPE"))).isEqualTo("-Invalid sub command\r\n");
        assertThat(send(ch, resp("UMCTL", "DEBUG", "NOPE"))).isEqualTo("-invalid debug sub-command\r\n");
    }
}
