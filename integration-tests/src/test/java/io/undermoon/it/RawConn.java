package io.undermoon.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare RESP2 connection for checking exact replies: errors come back as "-..." strings, simple
 * strings as "+...", bulk strings as their text (null for nil), integers as Long, arrays as List.
 */
final class RawConn implements AutoCloseable {
    final Socket socket = new Socket();
    private final OutputStream out;
    private final InputStream in;

    RawConn(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(10000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    static byte[] encode(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    void send(String... args) throws IOException {
        out.write(encode(args));
        out.flush();
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Object call(String... args) throws IOException {
        send(args);
        return read();
    }

    Object read() throws IOException {
        String line = line();
        char t = line.charAt(0);
        String rest = line.substring(1);
        return switch (t) {
            case '+', '-' -> line;
            case ':' -> Long.parseLong(rest);
            case '$' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    yield null;
                }
                byte[] b = in.readNBytes(n + 2);
                yield new String(b, 0, n, StandardCharsets.UTF_8);
            }
            case '*' -> {
                int n = Integer.parseInt(rest);
                if (n < 0) {
                    yield null;
                }
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    list.add(read());
                }
                yield list;
            }
            default -> throw new IOException("bad reply line " + line);
        };
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c == -1) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
