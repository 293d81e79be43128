package io.undermoon.coordinator.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.undermoon.coordinator.broker.BrokerAddresses;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdminSessionHandlerTest {
    private final BrokerAddresses brokers = new BrokerAddresses(List.of("127.0.0.1:7799"));
    private final AdminSessions sessions = new AdminSessions();
    private final AdminCommands commands = new AdminCommands(brokers, "coord-1", sessions::describe);
    private final EmbeddedChannel ch = new EmbeddedChannel(new AdminSessionHandler(commands, sessions));

    @AfterEach
    void finish() {
        ch.finishAndReleaseAll();
    }

    private void write(String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }

    private String output() {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() {
        write("*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$7\r\nbrokers\r\n*1\r\n$4\r\nPING\r\n"
                + "*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$7\r\nbrokers\r\n$6\r\nb:7799\r\n*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$7\r\nbrokers\r\n");
        assertThat(output()).isEqualTo("$14\r\n127.0.0.1:7799\r\n-ERR_COMMAND_NOT_SUPPORTED: PING\r\n+OK\r\n$6\r\nb:7799\r\n");
    }

    @Test
    void aCommandSplitAcrossReadsIsAnsweredOnceComplete() {
        write("*3\r\n$6\r\nCONF");
        assertThat(output()).isEmpty();
        write("IG\r\n$3\r\nGET\r\n$11\r\nreporter_id\r");
        assertThat(output()).isEmpty();
        write("\n");
        assertThat(output()).isEqualTo("$7\r\ncoord-1\r\n");
    }

    @Test
    void inlineCommandsWork() {
        write("CONFIG GET reporter_id\r\n");
        assertThat(output()).isEqualTo("$7\r\ncoord-1\r\n");
    }

    @Test
    void aProtocolErrorIsAnsweredAndClosesTheConnection() {
        write("*2\r\n$x\r\n");
        assertThat(output()).startsWith("-ERR Protocol error");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void debugFutureListsTheSession() {
        write("UMCTL DEBUG FUTURE\r\n");
        assertThat(output()).startsWith("*1\r\n$").contains("session 1 ").contains("commands=1");
        ch.close();
        assertThat(sessions.size()).isZero();
    }
}
