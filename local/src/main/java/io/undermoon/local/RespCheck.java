package io.undermoon.local;

import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    /** The proxies that serve the cluster: they list it, CLUSTER INFO says ok and UMCTL READY is 1. */
    static List<LocalCluster.ProxyNode> serving(List<LocalCluster.ProxyNode> proxies, String name) {
        List<LocalCluster.ProxyNode> out = new ArrayList<>();
        for (LocalCluster.ProxyNode p : proxies) {
            if (!p.process().isAlive()) {
                continue;
            }
            try {
                RespReply list = call(p.address(), "UMCTL", "LISTCLUSTER");
                if (!(list instanceof RespReply.Array l) || l.items().isEmpty() || !name.equals(l.items().get(0).text())) {
                    continue;
                }
                String info = call(p.address(), "CLUSTER", "INFO").text();
                if (info != null && info.contains("cluster_state:ok")
                        && call(p.address(), "UMCTL", "READY") instanceof RespReply.Int ready && ready.value() == 1) {
                    out.add(p);
                }
            } catch (IOException e) {
                // not answering: not serving
            }
        }
        return out;
    }
}
