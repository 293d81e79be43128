package io.undermoon.coordinator.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.coordinator.broker.BrokerAddresses;
import io.undermoon.resp.client.RespReply;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminCommandsTest {
    private final BrokerAddresses brokers = new BrokerAddresses(List.of("127.0.0.1:7799", "127.0.0.1:7800"));
    private final AdminCommands commands = new AdminCommands(brokers, "coord-1", () -> List.of("loop sync rounds=3"));

    private RespReply run(String... args) {
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return commands.execute(a);
    }

    private RespReply runBytes(List<byte[]> args) {
        return commands.execute(args);
    }

    private static RespReply err(String s) {
        return new RespReply.Error(s);
    }

    private static String text(RespReply v) {
        return v.text();
    }

    @Test
    void configGetReturnsOneBulkString() {
        RespReply v = run("CONFIG", "GET", "brokers");
        assertThat(v).isInstanceOf(RespReply.Bulk.class);
        assertThat(text(v)).isEqualTo("127.0.0.1:7799,127.0.0.1:7800");
        assertThat(text(run("config", "get", "reporter_id"))).isEqualTo("coord-1");
    }

    @Test
    void configSetBrokersReplacesTheList() {
        assertThat(run("CONFIG", "SET", "brokers", "10.0.0.1:7799,10.0.0.2:7799")).isEqualTo(new RespReply.Simple("OK"));
        assertThat(brokers.get()).containsExactly("10.0.0.1:7799", "10.0.0.2:7799");
        assertThat(text(run("CONFIG", "GET", "brokers"))).isEqualTo("10.0.0.1:7799,10.0.0.2:7799");
        run("Config", "Set", "brokers", "10.0.0.3:7799");
        assertThat(brokers.get()).containsExactly("10.0.0.3:7799");
    }

    @Test
    void configSetRefusesBadAddressesAndChangesNothing() {
        for (String bad : List.of("", "a:1, b:2", "a:1,", "nohost", "a:1,b")) {
            RespReply v = run("CONFIG", "SET", "brokers", bad);
            assertThat(v).as(bad).isInstanceOf(RespReply.Error.class);
            assertThat(text(v)).startsWith("Invalid CONFIG SET value for brokers");
        }
        assertThat(brokers.get()).containsExactly("127.0.0.1:7799", "127.0.0.1:7800");
    }

    @Test
    void errorsOfTheReference() {
        assertThat(run("CONFIG")).isEqualTo(err("Missing sub argument"));
        assertThat(run("CONFIG", "GET")).isEqualTo(err("Missing sub argument"));
        assertThat(run("CONFIG", "SET", "brokers")).isEqualTo(err("Missing sub argument"));
        assertThat(run("CONFIG", "GET", "Brokers")).isEqualTo(err("Invalid CONFIG field Brokers"));
        assertThat(run("CONFIG", "GET", "address")).isEqualTo(err("Invalid CONFIG field address"));
        assertThat(run("CONFIG", "SET", "reporter_id", "x")).isEqualTo(err("Invalid CONFIG SET field reporter_id"));
        assertThat(run("CONFIG", "RESETSTAT")).isEqualTo(err("Invalid config sub command: RESETSTAT"));
        assertThat(runBytes(List.of("CONFIG".getBytes(), new byte[] {(byte) 0xff, (byte) 0xfe})))
                .isEqualTo(err("Invalid sub argument"));
        assertThat(runBytes(List.of("CONFIG".getBytes(), "GET".getBytes(), new byte[] {(byte) 0xc3})))
                .isEqualTo(err("Invalid sub argument"));
        assertThat(run("CONFIG", "SET", "brokers", "a:1")).isEqualTo(new RespReply.Simple("OK"));
    }

    @Test
    void everyOtherCommandIsNotSupportedIncludingPing() {
        assertThat(run("PING")).isEqualTo(err("ERR_COMMAND_NOT_SUPPORTED: PING"));
        assertThat(run("get", "k")).isEqualTo(err("ERR_COMMAND_NOT_SUPPORTED: get"));
        assertThat(run("INFO")).isEqualTo(err("ERR_COMMAND_NOT_SUPPORTED: INFO"));
    }

    @Test
    void umctlDebugFuture() {
        RespReply v = run("UMCTL", "DEBUG", "FUTURE");
        assertThat(v).isInstanceOfSatisfying(RespReply.Array.class, a -> assertThat(a.items())
                .extracting(RespReply::text).containsExactly("loop sync rounds=3"));
        assertThat(run("umctl", "debug", "future")).isInstanceOf(RespReply.Array.class);
        assertThat(run("UMCTL", "SETCLUSTER", "v2")).isEqualTo(err("Invalid sub command for UMCTL"));
        assertThat(run("UMCTL", "DEBUG")).isEqualTo(err("Invalid sub command for UMCTL"));
        assertThat(run("UMCTL")).isEqualTo(err("Missing sub argument"));
    }
}
