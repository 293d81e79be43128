package io.undermoon.resp.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import io.undermoon.resp.RespWriter;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A small blocking RESP2 client for control-plane calls (the broker's {@code UMCTL GETEPOCH}, the
 * coordinator's admin commands): one socket, one command at a time, a connect timeout and a
 * per-command deadline, and size limits on replies. Not for data traffic.
 *
 * <p>Not thread-safe. Any I/O or protocol failure closes the connection; later calls then fail with
 * an {@link IOException}, so callers reconnect rather than reuse a desynchronised stream.
 */
public final class BlockingRespClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final RespReplyReader reader;
    private final Duration commandTimeout;
    private long deadlineNanos;
    private boolean broken;

    private BlockingRespClient(Socket socket, Duration commandTimeout, RespLimits limits) throws IOException {
        this.socket = socket;
        this.commandTimeout = commandTimeout;
        this.out = new BufferedOutputStream(socket.getOutputStream(), 8192);
        this.reader = new RespReplyReader(new DeadlineInputStream(socket.getInputStream()), limits);
    }

    /** Connects to {@code host:port}; {@code timeout} bounds the connect and every command. */
    public static BlockingRespClient connect(String host, int port, Duration timeout) throws IOException {
        return connect(host, port, timeout, timeout, RespLimits.REPLIES);
    }

    /** Connects to an address of the form {@code host:port} (split at the last ':'). */
    public static BlockingRespClient connect(String address, Duration timeout) throws IOException {
        int i = address.lastIndexOf(':');
        if (i <= 0 || i == address.length() - 1) {
            throw new IOException("invalid address: " + address);
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(i + 1));
        } catch (NumberFormatException e) {
            throw new IOException("invalid port in address: " + address);
        }
        String host = address.substring(0, i);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return connect(host, port, timeout);
    }

    public static BlockingRespClient connect(String host, int port, Duration connectTimeout, Duration commandTimeout,
                                             RespLimits limits) throws IOException {
        Objects.requireNonNull(limits, "limits");
        if (port < 0 || port > 65535) {
            throw new IOException("invalid port " + port);
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(commandTimeout, "commandTimeout");
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), timeoutMillis(connectTimeout));
            return new BlockingRespClient(socket, commandTimeout, limits);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /**
     * Sends one command (each argument as a bulk string, UTF-8) and waits for its reply, at most the
     * command timeout. A Redis error reply is returned as {@link RespReply.Error}, not thrown.
     */
    public RespReply command(String... args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("empty command");
        }
        if (broken || socket.isClosed()) {
            throw new IOException("connection is closed");
        }
        try {
            deadlineNanos = System.nanoTime() + commandTimeout.toNanos();
            writeCommand(toBytes(args));
            out.flush();
            return reader.read();
        } catch (IOException | RuntimeException e) {
            broken = true;
            closeQuietly(socket);
            throw e;
        }
    }

    /** Sends one command with binary arguments (keys, DUMP payloads) and waits for its reply. */
    public RespReply command(byte[]... args) throws IOException {
        return pipeline(List.<byte[][]>of(args)).get(0);
    }

    /**
     * Sends several commands in one write and reads their replies in order; the command timeout
     * bounds the whole exchange. Error replies are returned, not thrown.
     */
    public List<RespReply> pipeline(List<byte[][]> commands) throws IOException {
        if (broken || socket.isClosed()) {
            throw new IOException("connection is closed");
        }
        try {
            deadlineNanos = System.nanoTime() + commandTimeout.toNanos();
            for (byte[][] args : commands) {
                if (args.length == 0) {
                    throw new IllegalArgumentException("empty command");
                }
                writeCommand(args);
            }
            out.flush();
            List<RespReply> replies = new ArrayList<>(commands.size());
            for (int i = 0; i < commands.size(); i++) {
                replies.add(reader.read());
            }
            return replies;
        } catch (IOException | RuntimeException e) {
            broken = true;
            closeQuietly(socket);
            throw e;
        }
    }

    /** Sends a command whose reply must be an integer, e.g. {@code UMCTL GETEPOCH}. */
    public long commandForLong(String... args) throws IOException {
        RespReply reply = command(args);
        return switch (reply) {
            case RespReply.Int i -> i.value();
            case RespReply.Error e -> throw new IOException("error reply to " + args[0] + ": " + e.message());
            default -> throw new RespProtocolException("expected an integer reply to " + args[0] + ", got " + reply);
        };
    }

    private void writeCommand(byte[][] args) throws IOException {
        out.write(encode(args));
    }

    /** The command as RESP bytes, written by {@link RespWriter#command}, the project's one command encoder. */
    static byte[] encode(byte[][] args) {
        ByteBuf b = Unpooled.buffer(64);
        try {
            RespWriter.command(b, Arrays.asList(args));
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    static byte[] encode(String... args) {
        return encode(toBytes(args));
    }

    private static byte[][] toBytes(String... args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = Objects.requireNonNull(args[i], "argument").getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    public boolean isOpen() {
        return !broken && !socket.isClosed();
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with this socket
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    private static int timeoutMillis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    /** Sets the socket's read timeout to what is left of the command deadline before every read. */
    private final class DeadlineInputStream extends FilterInputStream {
        DeadlineInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("command timed out after " + commandTimeout.toMillis() + " ms");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
            return super.read(b, off, len);
        }
    }
}
