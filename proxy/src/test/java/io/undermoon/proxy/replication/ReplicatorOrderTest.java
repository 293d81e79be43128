package io.undermoon.proxy.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.umctl.SetReplArgs;
import io.undermoon.proxy.route.BackendRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A role change must not overtake the previous role's last command. The node is a scripted server
 * (a real Redis cannot be made to stall one reply) that holds its reply to the replica role's
 * {@code REPLICAOF host port} for 500 ms; meanwhile SETREPL promotes the node. A real Redis would
 * still execute the held command, so {@code REPLICAOF NO ONE} must arrive only after it was answered,
 * or the promoted master turns back into a replica of its old master.
 */
class ReplicatorOrderTest {

    @Test
    void aPromotionWaitsForTheReplicaRolesLastCommand() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> serve(server, events));
            String node = "127.0.0.1:" + server.getLocalPort();
            try (ReplicationManager manager = new ReplicationManager(new BackendRegistry(), Duration.ofSeconds(60),
                    Duration.ofSeconds(5))) {
                manager.accept(SetReplArgs.parseStrings(List.of("1", "NOFLAG", "replica", "c", node, "1",
                        "127.0.0.1:1", "127.0.0.1:2")));
                await(() -> events.contains("REPLICAOF 127.0.0.1 1 received"));
                manager.accept(SetReplArgs.parseStrings(List.of("2", "NOFLAG", "master", "c", node, "0")));
                await(() -> events.contains("REPLICAOF NO ONE received"));
            }
            acceptor.interrupt();
        }
        List<String> order = new ArrayList<>(events);
        order.removeIf(e -> !e.startsWith("REPLICAOF"));
        assertThat(order).startsWith("REPLICAOF 127.0.0.1 1 received", "REPLICAOF 127.0.0.1 1 answered",
                "REPLICAOF NO ONE received");
    }

    private static void serve(ServerSocket server, List<String> events) {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread.ofPlatform().daemon().start(() -> session(s, events));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reads RESP arrays of bulk strings; stalls the answer to a REPLICAOF with an address. */
    private static void session(Socket s, List<String> events) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                OutputStream out = s.getOutputStream()) {
            String header;
            while ((header = in.readLine()) != null) {
                int n = Integer.parseInt(header.substring(1));
                List<String> args = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    in.readLine(); // $len
                    args.add(in.readLine());
                }
                String cmd = String.join(" ", args).toUpperCase(java.util.Locale.ROOT);
                events.add(cmd + " received");
                if (cmd.startsWith("REPLICAOF") && !cmd.equals("REPLICAOF NO ONE")) {
                    Thread.sleep(500);
                    events.add(cmd + " answered");
                }
                out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client went away
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
