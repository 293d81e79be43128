package io.undermoon.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server on 127.0.0.1, started on a free port with its own working directory and no
 * persistence unless the extra arguments turn it on (they come last, so they win). {@link #kill()}
 * is kill -9; {@link #restart()} starts it again on the same port, in the same directory and with
 * the same arguments.
 */
public final class RedisProcess extends RestartableProcess implements AutoCloseable {
    private final int port;
    private final Path dir;
    private final List<String> extraArgs;

    private RedisProcess(int port, Path dir, List<String> extraArgs) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = List.copyOf(extraArgs);
    }

    public static RedisProcess start(String... extraArgs) {
        return startOnPort(FreePorts.next(), extraArgs);
    }

    public static RedisProcess startOnPort(int port, String... extraArgs) {
        try {
            Path dir = Files.createTempDirectory("undermoon-redis-" + port + "-");
            RedisProcess r = new RedisProcess(port, dir, List.of(extraArgs));
            r.launch();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void launch() throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                redisServerBinary(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "no",
                // a replica that attaches gets its full sync at once, not after the default 5 s
                "--repl-diskless-sync-delay", "0",
                "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile());
        process = ChildProcesses.register(pb.start());
        waitUntilReady(Duration.ofSeconds(10));
    }

    public static String redisServerBinary() {
        String fromEnv = System.getenv("UNDERMOON_REDIS_SERVER");
        return fromEnv != null && !fromEnv.isEmpty() ? fromEnv : "redis-server";
    }

    private void waitUntilReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server on port " + port + " exited: " + logTail());
            }
            try {
                if ("+PONG".equals(command("PING"))) {
                    return;
                }
            } catch (IOException ignored) {
                // not listening yet
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server on port " + port + " did not start: " + logTail());
    }

    private String logTail() {
        try {
            String log = Files.readString(dir.resolve("redis.log"));
            return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }




    /**
     * Starts a killed instance again on the same port and directory: empty without persistence,
     * with its append-only file's data when started with {@code --appendonly yes}.
     */
    @Override
    public void restart() {
        super.restart();
    }

    /**
     * Sends one inline command and returns the first reply line (e.g. "+PONG", ":1", "$3").
     * For fixtures and assertions only; use a real client for data.
     */
    public String command(String inline) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }

    /** Copies this Redis's log file (best effort: a missing log is skipped). */
    public void copyLogTo(Path target) {
        try {
            Files.copy(dir.resolve("redis.log"), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException ignored) {
            // nothing to keep
        }
    }

    @Override
    public void close() {
        kill();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: temp directory
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
