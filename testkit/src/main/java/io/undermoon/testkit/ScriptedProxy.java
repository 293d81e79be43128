package io.undermoon.testkit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespWriter;
import io.undermoon.resp.client.RespReply;
import io.undermoon.resp.client.RespReplyReader;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The one scripted stand-in for a server proxy in the tests of the programs that talk to proxies
 * (the broker asks their epoch, the coordinator pushes metadata and reads migration tasks): it
 * answers each command with what its script returns, and appends every command to a log that the
 * fakes of one test may share, so the order across proxies is visible. Requests are read with
 * resp's {@link RespReplyReader} (a command is an array of bulk strings) and replies written with
 * {@link RespWriter}.
 */
public final class ScriptedProxy implements AutoCloseable {

    /** A command as one fake proxy received it. */
    public record Logged(String proxy, List<String> command) {}

    private final ServerSocket server;
    private final Function<List<String>, RespReply> script;
    private final List<Logged> log;
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    /** A fake proxy on a free loopback port; {@code log} (shared, or null) receives every command. */
    public ScriptedProxy(Function<List<String>, RespReply> script, List<Logged> log) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.script = script;
        this.log = log;
        this.acceptor = Thread.ofVirtual().name("scripted-proxy-" + server.getLocalPort()).start(this::accept);
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** True when the command is {@code name} followed by {@code sub} (case-insensitive), e.g. UMCTL GETEPOCH. */
    public static boolean is(List<String> cmd, String name, String sub) {
        return cmd.size() >= 2 && cmd.get(0).equalsIgnoreCase(name) && cmd.get(1).equalsIgnoreCase(sub);
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
            RespReplyReader in = new RespReplyReader(new BufferedInputStream(s.getInputStream()), RespLimits.DEFAULT);
            OutputStream out = s.getOutputStream();
            while (true) {
                List<String> cmd = command(in.read());
                if (log != null) {
                    synchronized (log) {
                        log.add(new Logged(address(), cmd));
                    }
                }
                RespReply reply = cmd.isEmpty() ? new RespReply.Error("ERR empty command") : script.apply(cmd);
                ByteBuf buf = RespWriter.value(Unpooled.buffer(), reply);
                try {
                    out.write(ByteBufUtil.getBytes(buf));
                } finally {
                    buf.release();
                }
                out.flush();
            }
        } catch (EOFException e) {
            // the client closed the connection
        } catch (IOException e) {
            // the client went away or sent something that is not a command: drop it
        } finally {
            clients.remove(s);
        }
    }

    private static List<String> command(RespReply request) throws IOException {
        if (!(request instanceof RespReply.Array a)) {
            throw new IOException("expected a command array, got " + request);
        }
        List<String> args = new ArrayList<>(a.items().size());
        for (RespReply item : a.items()) {
            if (!(item instanceof RespReply.Bulk b)) {
                throw new IOException("expected bulk strings in a command, got " + item);
            }
            args.add(b.text());
        }
        return args;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : clients) {
            s.close();
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
