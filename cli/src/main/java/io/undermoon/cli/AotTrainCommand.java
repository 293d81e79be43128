package io.undermoon.cli;

import io.undermoon.model.config.ConfigSource;
import io.undermoon.process.FreePorts;
import io.undermoon.process.RedisProcess;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ServerProxy;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code undermoon aot-train}: the training run of the proxy's ahead-of-time cache (see
 * {@link io.undermoon.local.AotCache}). It starts a redis-server and a server proxy in this JVM,
 * gives the proxy all slots of that Redis with UMCTL SETCLUSTER, and puts client load on it (GET and
 * SET one at a time, and pipelined batches) for the given time; the JVM then exits, which is when
 * the JVM writes the cache it was asked for with {@code -XX:AOTCacheOutput} (or
 * {@code -XX:ArchiveClassesAtExit} before JDK 25). Every reply is checked: a wrong one fails the run.
 */
@Command(name = "aot-train", hidden = true, mixinStandardHelpOptions = true,
        description = "Training run for the proxy's AOT cache: a proxy in this JVM under load against a redis-server it starts.")
public final class AotTrainCommand implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "8", description = "seconds of load (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--clients", defaultValue = "8", description = "client connections (default ${DEFAULT-VALUE})")
    int clients;

    @Override
    public Integer call() throws Exception {
        if (seconds < 1 || seconds > 600 || clients < 1 || clients > 256) {
            System.err.println("undermoon aot-train: --seconds must be 1..600 and --clients 1..256");
            return 2;
        }
        try (RedisProcess redis = RedisProcess.start()) {
            String address = "127.0.0.1:" + FreePorts.next();
            ServerProxy proxy = ServerProxy.start(ProxyConfig.load(ConfigSource.load(Optional.empty(),
                    Map.of("UNDERMOON_ADDRESS", address, "UNDERMOON_ANNOUNCE_ADDRESS", address))));
            try {
                try (Client c = new Client(proxy.port())) {
                    c.send("UMCTL", "SETCLUSTER", "v2", "1", "NOFLAG", "train", redis.address(), "1", "0-16383");
                    c.expectOk();
                }
                long[] done = load(proxy.port());
                System.out.println("undermoon aot-train: " + done[0] + " commands through the proxy in " + seconds + " s, "
                        + done[1] + " errors");
                return done[1] == 0 && done[0] > 0 ? 0 : 1;
            } finally {
                proxy.close();
            }
        }
    }

    private long[] load(int port) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong ops = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            int id = t;
            threads.add(Thread.ofPlatform().name("aot-train-" + t).start(() -> {
                try (Client c = new Client(port)) {
                    String value = "v".repeat(64 + id);
                    for (long n = 0; !stop.get(); n++) {
                        String key = "train:" + id + ":" + (n % 1000);
                        if (n % 64 == 63) { // a pipelined batch now and then
                            for (int i = 0; i < 16; i++) {
                                c.send("SET", key + ":" + i, value);
                            }
                            for (int i = 0; i < 16; i++) {
                                c.expectOk();
                            }
                            ops.addAndGet(16);
                            continue;
                        }
                        c.send("SET", key, value);
                        c.expectOk();
                        c.send("GET", key);
                        String got = c.readBulk();
                        if (!value.equals(got)) {
                            throw new IOException("GET " + key + " answered " + got);
                        }
                        ops.addAndGet(2);
                    }
                } catch (IOException | RuntimeException e) {
                    errors.incrementAndGet();
                    System.err.println("undermoon aot-train: " + e);
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : threads) {
            t.join(10_000);
        }
        return new long[] {ops.get(), errors.get()};
    }

    /** A blocking RESP connection that understands the replies this load gets: +OK and bulk strings. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Client(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        void send(String... args) throws IOException {
            StringBuilder b = new StringBuilder().append('*').append(args.length).append("\r\n");
            for (String a : args) {
                b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }

        void expectOk() throws IOException {
            String line = readLine();
            if (!line.equals("+OK")) {
                throw new IOException("expected +OK, got " + line);
            }
        }

        String readBulk() throws IOException {
            String line = readLine();
            if (line.equals("$-1")) {
                return null;
            }
            if (line.isEmpty() || line.charAt(0) != '$') {
                throw new IOException("expected a bulk string, got " + line);
            }
            byte[] data = in.readNBytes(Integer.parseInt(line.substring(1)) + 2);
            return new String(data, 0, data.length - 2, StandardCharsets.UTF_8);
        }

        private String readLine() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int ch = in.read(); ch != '\n'; ch = in.read()) {
                if (ch < 0) {
                    throw new IOException("connection closed");
                }
                if (ch != '\r') {
                    b.append((char) ch);
                }
            }
            return b.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
