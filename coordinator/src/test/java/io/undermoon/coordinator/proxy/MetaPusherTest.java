package io.undermoon.coordinator.proxy;

import static io.undermoon.coordinator.testing.Views.freeProxy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.coordinator.testing.ScriptedProxyClient;
import io.undermoon.model.broker.ProxyView;
import io.undermoon.resp.client.RespReply;
import org.junit.jupiter.api.Test;

class MetaPusherTest {
    private final ProxyView free = freeProxy("127.0.0.1:6003", 7, "127.0.0.1:7005", "127.0.0.1:7006");

    @Test
    void sendsSetReplBeforeSetCluster() throws Exception {
        ScriptedProxyClient client = new ScriptedProxyClient();
        new MetaPusher(client, false).push(free);
        assertThat(client.sent()).extracting(ScriptedProxyClient.Sent::name).containsExactly("SETREPL", "SETCLUSTER");
        assertThat(client.sent()).extracting(ScriptedProxyClient.Sent::address).containsOnly("127.0.0.1:6003");
    }

    @Test
    void compressionChangesOnlySetCluster() throws Exception {
        ScriptedProxyClient client = new ScriptedProxyClient();
        new MetaPusher(client, true).push(free);
        assertThat(client.sent().get(0).command()).contains("NOFLAG");
        assertThat(client.sent().get(1).command().get(4)).isEqualTo("COMPRESS");
    }

    @Test
    void oldEpochAndWarningsAndOtherRepliesAreSuccess() throws Exception {
        for (RespReply r : new RespReply[] {new RespReply.Error("OLD_EPOCH"), new RespReply.Simple("WARNING: ignored invalid config"),
                new RespReply.Int(1), RespReply.NIL}) {
            ScriptedProxyClient client = new ScriptedProxyClient().answer((a, c) -> r);
            new MetaPusher(client, false).push(free);
            assertThat(client.sent()).as("reply %s", r).hasSize(2);
        }
    }

    @Test
    void aFailedSetReplStopsBeforeSetCluster() {
        ScriptedProxyClient client = new ScriptedProxyClient().answer((a, c) -> new RespReply.Error("TRY_AGAIN"));
        assertThatThrownBy(() -> new MetaPusher(client, false).push(free))
                .isInstanceOf(ProxyCommandException.class).hasMessageContaining("SETREPL").hasMessageContaining("TRY_AGAIN")
                .hasMessageContaining("127.0.0.1:6003");
        assertThat(client.sent()).hasSize(1);
    }

    @Test
    void notMyMetaIsAnError() {
        ScriptedProxyClient client = new ScriptedProxyClient().answer((a, c) -> new RespReply.Error("ERR_NOT_MY_META"));
        assertThatThrownBy(() -> new MetaPusher(client, false).push(free))
                .isInstanceOf(ProxyCommandException.class).hasMessageContaining("ERR_NOT_MY_META");
    }

    @Test
    void aSetClusterErrorIsAnError() {
        ScriptedProxyClient client = new ScriptedProxyClient()
                .answer((a, c) -> c.get(1).equals("SETCLUSTER") ? new RespReply.Error("ERR Failed to parse args: InvalidArgs")
                        : new RespReply.Simple("OK"));
        assertThatThrownBy(() -> new MetaPusher(client, false).push(free)).hasMessageContaining("SETCLUSTER")
                .hasMessageContaining("InvalidArgs");
    }

    @Test
    void anUnreachableProxyIsAnError() {
        ScriptedProxyClient client = new ScriptedProxyClient();
        client.down.add("127.0.0.1:6003");
        assertThatThrownBy(() -> new MetaPusher(client, false).push(free)).hasMessageContaining("connection refused");
    }

    @Test
    void replyClassification() {
        assertThat(MetaReply.of(new RespReply.Simple("OK"))).isEqualTo(MetaReply.APPLIED);
        assertThat(MetaReply.of(new RespReply.Error("OLD_EPOCH"))).isEqualTo(MetaReply.OLD_EPOCH);
        assertThat(MetaReply.of(new RespReply.Error("ERR_NOT_MY_META"))).isEqualTo(MetaReply.NOT_MY_META);
        assertThat(MetaReply.of(new RespReply.Error("ERR_NOT_MY_METADATA"))).isEqualTo(MetaReply.ERROR);
        assertThat(MetaReply.of(new RespReply.Error("OLD_EPOCHS"))).isEqualTo(MetaReply.ERROR);
        assertThat(MetaReply.OLD_EPOCH.isSuccess()).isTrue();
        assertThat(MetaReply.NOT_MY_META.isSuccess()).isFalse();
    }
}
