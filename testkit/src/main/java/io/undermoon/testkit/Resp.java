package io.undermoon.testkit;

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
 * A tiny RESP client for fixtures: sends one command and returns the reply as text (simple and
 * error lines as "+..." / "-...", integers as ":n", bulk strings as their content or null, arrays
 * as a List). For readiness checks and assertions, not for data traffic.
 */
public final class Resp {
    private Resp() {}

    public static Object command(String address, String... args) throws IOException {
        int i = address.lastIndexOf(':');
        return command(address.substring(0, i), Integer.parseInt(address.substring(i + 1)), args);
    }

    public static Object command(String host, int port, String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            for (String a : args) {
                byte[] p = a.getBytes(StandardCharsets.UTF_8);
                b.writeBytes(("$" + p.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                b.writeBytes(p);
                b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write(b.toByteArray());
            out.flush();
            return read(s.getInputStream());
        }
    }

    /** The reply as a string (arrays joined by newlines), for simple checks. */
    public static String text(String address, String... args) throws IOException {
        Object r = command(address, args);
        if (r instanceof List<?> l) {
            StringBuilder sb = new StringBuilder();
            for (Object o : l) {
                sb.append(o).append('\n');
            }
            return sb.toString();
        }
        return String.valueOf(r);
    }

    private static Object read(InputStream in) throws IOException {
        String line = line(in);
        if (line.isEmpty()) {
            throw new IOException("empty reply line");
        }
        char t = line.charAt(0);
        switch (t) {
            case '+', '-', ':':
                return line;
            case '$': {
                int n = Integer.parseInt(line.substring(1));
                if (n < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(n + 2);
                return new String(data, 0, n, StandardCharsets.UTF_8);
            }
            case '*': {
                int n = Integer.parseInt(line.substring(1));
                if (n < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(read(in));
                }
                return items;
            }
            default:
                throw new IOException("unexpected reply: " + line);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        if (c == -1 && sb.isEmpty()) {
            throw new IOException("connection closed");
        }
        return sb.toString();
    }
}
