package io.undermoon.coordinator.testing;

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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for a server proxy that reports finished migrations: the real proxy does not migrate
 * slots yet, so only this can make {@code UMCTL INFOMGR} list a task. It answers PING, accepts
 * SETREPL and SETCLUSTER with {@code +OK}, answers INFOMGR with {@link #finishedTasks}, and appends
 * every command to a log shared by all fake proxies of a test, so the order across proxies is
 * visible.
 */
public final class FakeProxy implements AutoCloseable {

    /** A command as one fake proxy received it. */
    public record Logged(String proxy, List<String> command) {}

    private final ServerSocket server;
    private final List<Logged> log;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    public final List<String> finishedTasks = new java.util.concurrent.CopyOnWriteArrayList<>();

    public FakeProxy(List<Logged> sharedLog) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.log = sharedLog;
        Thread.ofVirtual().name("fake-proxy-" + server.getLocalPort()).start(this::accept);
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                clients.add(s);
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
            List<String> cmd;
            while ((cmd = readCommand(in)) != null) {
                synchronized (log) {
                    log.add(new Logged(address(), cmd));
                }
                out.write(reply(cmd).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the coordinator closed the connection
        } finally {
            clients.remove(s);
        }
    }

    private String reply(List<String> cmd) {
        String name = cmd.get(0).toUpperCase();
        if (name.equals("PING")) {
            return "+PONG\r\n";
        }
        if (name.equals("UMCTL") && cmd.size() > 1) {
            switch (cmd.get(1).toUpperCase()) {
                case "SETREPL", "SETCLUSTER" -> {
                    return "+OK\r\n";
                }
                case "REPLSTATUS" -> {
                    return "*0\r\n";
                }
                case "INFOMGR" -> {
                    StringBuilder sb = new StringBuilder("*" + finishedTasks.size() + "\r\n");
                    for (String t : finishedTasks) {
                        byte[] b = t.getBytes(StandardCharsets.UTF_8);
                        sb.append('$').append(b.length).append("\r\n").append(t).append("\r\n");
                    }
                    return sb.toString();
                }
                default -> { }
            }
        }
        return "-ERR unknown command\r\n";
    }

    private static List<String> readCommand(InputStream in) throws IOException {
        String header = readLine(in);
        if (header == null) {
            return null;
        }
        if (!header.startsWith("*")) {
            throw new IOException("expected an array, got " + header);
        }
        int n = Integer.parseInt(header.substring(1));
        List<String> args = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String len = readLine(in);
            if (len == null || !len.startsWith("$")) {
                throw new IOException("expected a bulk string");
            }
            byte[] b = in.readNBytes(Integer.parseInt(len.substring(1)) + 2);
            args.add(new String(b, 0, b.length - 2, StandardCharsets.UTF_8));
        }
        return args;
    }

    private static String readLine(InputStream in) throws IOException {
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
        return sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : clients) {
            s.close();
        }
    }
}
