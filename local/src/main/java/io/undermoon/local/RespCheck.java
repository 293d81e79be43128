package io.undermoon.local;

import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.time.Duration;

/** The readiness checks of a local system's processes, each one command on a fresh connection. */
final class RespCheck {
    private RespCheck() {}

    static boolean pong(String address) {
        try {
            return call(address, "PING") instanceof RespReply.Simple s && s.text().equals("PONG");
        } catch (IOException e) {
            return false;
        }
    }

    static boolean answers(String address, String... cmd) {
        try {
            call(address, cmd);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One command on a fresh connection (readiness checks), at most 5 s. */
    static RespReply call(String address, String... cmd) throws IOException {
        try (BlockingRespClient c = BlockingRespClient.connect(address, Duration.ofSeconds(5))) {
            return c.command(cmd);
        }
    }
}
