package io.undermoon.proxy.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.config.ConfigSource;
import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.model.umctl.SwitchCommand;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ServerProxy;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import io.undermoon.process.FreePorts;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The switch commands of a migrating task against a real importing proxy with a password, and against none. */
class SwitchClientIT {
    private static final String DST_NODE = "127.0.0.1:6379";

    private static String meta(int destinationPort) {
        return "3 127.0.0.1:1 127.0.0.1:2 127.0.0.1:" + destinationPort + " " + DST_NODE;
    }

    @Test
    void authenticatesAndGetsTheDestinationsAnswer() throws Exception {
        try (ServerProxy dst = ServerProxy.start(ProxyConfig.load(ConfigSource.of(Map.of("address", "127.0.0.1:0",
                "thread_number", 1, "password", "pw"))))) {
            MigrationTask task = MigrationTask.parse("mycluster MIGRATING 1 0-100 " + meta(dst.port()));
            try (SwitchClient wrong = new SwitchClient(task, Optional.of("nope"))) {
                assertThat(wrong.send(SwitchCommand.PRECHECK)).isFalse();
                assertThat(wrong.lastError()).contains("AUTH refused");
            }
            try (SwitchClient client = new SwitchClient(task, Optional.of("pw"))) {
                assertThat(client.send(SwitchCommand.PRECHECK)).as("the destination's metadata is older than the task")
                        .isFalse();
                assertThat(client.lastError()).isEqualTo("PRECHECK: NOT_READY_FOR_SWITCHING");
                try (BlockingRespClient coordinator = BlockingRespClient.connect("127.0.0.1", dst.port(), Duration.ofSeconds(5))) {
                    assertThat(coordinator.command("AUTH", "pw")).isInstanceOf(RespReply.Simple.class);
                    String setCluster = "UMCTL SETCLUSTER v2 3 NOFLAG mycluster " + DST_NODE + " IMPORTING 1 0-100 "
                            + meta(dst.port());
                    assertThat(coordinator.command(setCluster.split(" "))).isInstanceOf(RespReply.Simple.class);
                }
                assertThat(client.send(SwitchCommand.PRECHECK)).as("the same connection, now that the task exists").isTrue();
                assertThat(client.lastError()).isNull();
                assertThat(client.send(SwitchCommand.PRESWITCH)).isTrue();
                assertThat(client.send(SwitchCommand.FINALSWITCH)).isTrue();
            }
        }
    }

    @Test
    void noDestinationIsARefusalNotAnException() throws Exception {
        int port = FreePorts.next();
        try (SwitchClient client = new SwitchClient(MigrationTask.parse("mycluster MIGRATING 1 0-100 " + meta(port)),
                Optional.empty())) {
            assertThat(client.send(SwitchCommand.PRECHECK)).isFalse();
            assertThat(client.lastError()).startsWith("PRECHECK: ");
            assertThat(client.send(SwitchCommand.PRECHECK)).as("and again, reconnecting").isFalse();
        }
    }
}
