package io.undermoon.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real etcd cluster of {@code n} members (Debian's {@code etcd-server}, etcd 3.4) on free
 * loopback ports, each with its own data directory. Members can be killed (kill -9), restarted on
 * the same ports and data, or frozen (SIGSTOP) and thawed (SIGCONT). {@link #close()} kills every
 * member and removes the directories.
 */
public final class EtcdCluster implements AutoCloseable {

    /** One member: its name, client and peer ports, directory and process. */
    public static final class Member extends RestartableProcess {
        private final String name;
        private final int clientPort;
        private final int peerPort;
        private final Path dir;
        private final String initialCluster;
        private boolean started;

        private Member(String name, int clientPort, int peerPort, Path dir, String initialCluster) {
            this.name = name;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.dir = dir;
            this.initialCluster = initialCluster;
        }

        public String name() {
            return name;
        }

        /** {@code http://127.0.0.1:<client port>}. */
        public String endpoint() {
            return "http://127.0.0.1:" + clientPort;
        }

        @Override
        protected void launch() throws IOException {
            List<String> cmd = List.of(etcdBinary(),
                    "--name", name,
                    "--data-dir", dir.resolve("data").toString(),
                    "--listen-client-urls", endpoint(),
                    "--advertise-client-urls", endpoint(),
                    "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
                    "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                    "--initial-cluster", initialCluster,
                    "--initial-cluster-state", started ? "existing" : "new",
                    "--initial-cluster-token", "undermoon-" + initialCluster.hashCode(),
                    // loopback: elect quickly after a member is lost
                    "--heartbeat-interval", "100", "--election-timeout", "1000",
                    "--logger", "zap", "--log-outputs", "stderr");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("etcd.log").toFile()));
            process = ChildProcesses.register(pb.start());
            started = true;
        }




        /** A restarted member (it rejoins the cluster with its data) serves once it answers healthy. */
        @Override
        protected void awaitServing() {
            waitUntilHealthy(this, Duration.ofSeconds(20));
        }

        /** SIGSTOP: a hung machine. */
        public void freeze() {
            ChildProcesses.signal(pid(), "STOP");
        }

        /** SIGCONT. */
        public void thaw() {
            ChildProcesses.signal(pid(), "CONT");
        }

        /** The last part of the member's log (for failure messages). */
        public String logTail() {
            try {
                String log = Files.readString(dir.resolve("etcd.log"));
                return log.length() > 3000 ? log.substring(log.length() - 3000) : log;
            } catch (IOException e) {
                return "(no log)";
            }
        }
    }

    private final List<Member> members;
    private final Path root;

    private EtcdCluster(List<Member> members, Path root) {
        this.members = List.copyOf(members);
        this.root = root;
    }

    /** Starts {@code n} members and waits until every one of them answers healthy. */
    public static EtcdCluster start(int n) {
        Path root;
        try {
            root = Files.createTempDirectory("undermoon-etcd-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ports.add(new int[] {FreePorts.next(), FreePorts.next()});
        }
        StringBuilder initial = new StringBuilder();
        for (int i = 0; i < n; i++) {
            initial.append(i == 0 ? "" : ",").append("m").append(i).append("=http://127.0.0.1:").append(ports.get(i)[1]);
        }
        List<Member> members = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Path dir = Files.createDirectories(root.resolve("m" + i));
                members.add(new Member("m" + i, ports.get(i)[0], ports.get(i)[1], dir, initial.toString()));
            }
            for (Member m : members) {
                m.launch();
            }
            for (Member m : members) {
                waitUntilHealthy(m, Duration.ofSeconds(30));
            }
            return new EtcdCluster(members, root);
        } catch (IOException | RuntimeException e) {
            new EtcdCluster(members, root).close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public static String etcdBinary() {
        String fromEnv = System.getenv("UNDERMOON_ETCD");
        return fromEnv != null && !fromEnv.isEmpty() ? fromEnv : "etcd";
    }

    public List<Member> members() {
        return members;
    }

    public Member member(int i) {
        return members.get(i);
    }

    /** Every member's client URL. */
    public List<String> endpoints() {
        return members.stream().map(Member::endpoint).toList();
    }

    /** The endpoints as one comma-separated string (UNDERMOON_ETCD_ENDPOINTS). */
    public String endpointList() {
        return members.stream().map(Member::endpoint).collect(Collectors.joining(","));
    }

    private static void waitUntilHealthy(Member m, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()) {
            while (System.nanoTime() < deadline) {
                if (!m.isAlive()) {
                    throw new IllegalStateException("etcd member " + m.name + " exited: " + m.logTail());
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(m.endpoint() + "/health"))
                            .timeout(Duration.ofSeconds(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("\"health\":\"true\"")) {
                        return;
                    }
                } catch (IOException ignored) {
                    // not serving yet
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("etcd member " + m.name + " did not become healthy: " + m.logTail());
    }

    @Override
    public void close() {
        for (Member m : members) {
            m.thaw();
            m.kill();
        }
        try (var files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: temp directory
        }
    }
}
