package io.undermoon.broker.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A scripted stand-in for a server proxy that answers only {@code UMCTL GETEPOCH} (with the
 * supplier's value) and {@code PING}; anything else gets an error. The real proxy is built
 * elsewhere; the broker needs nothing more from it.
 */
public final class FakeProxyServer implements AutoCloseable {
    private final ServerSocket server;
    private final LongSupplier epoch;
    private final Thread acceptor;
    private final List<Socket> clients = new ArrayList<>();
    private final AtomicInteger getEpochCalls = new AtomicInteger();

    public FakeProxyServer(LongSupplier epoch) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.epoch = epoch;
        this.acceptor = Thread.ofVirtual().name("fake-proxy-" + server.getLocalPort()).start(this::acceptLoop);
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    public int getEpochCalls() {
        return getEpochCalls.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                synchronized (clients) {
                    clients.add(s);
                }
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                List<String> cmd = readCommand(in);
                if (cmd == null) {
                    return;
                }
                String reply;
                if (cmd.size() == 2 && cmd.get(0).equalsIgnoreCase("UMCTL") && cmd.get(1).equalsIgnoreCase("GETEPOCH")) {
                    getEpochCalls.incrementAndGet();
                    reply = ":" + epoch.getAsLong() + "\r\n";
                } else if (cmd.size() == 1 && cmd.get(0).equalsIgnoreCase("PING")) {
                    reply = "+PONG\r\n";
                } else {
                    reply = "-ERR unknown command\r\n";
                }
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // client went away
        }
    }

    private static List<String> readCommand(InputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            return null;
        }
        if (!header.startsWith("*")) {
            throw new IOException("expected an array");
        }
        int n = Integer.parseInt(header.substring(1));
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String len = line(in);
            if (len == null || !len.startsWith("$")) {
                throw new IOException("expected a bulk string");
            }
            byte[] data = in.readNBytes(Integer.parseInt(len.substring(1)) + 2);
            args.add(new String(data, 0, data.length - 2, StandardCharsets.UTF_8));
        }
        return args;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                return sb.toString();
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (clients) {
            for (Socket s : clients) {
                s.close();
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
