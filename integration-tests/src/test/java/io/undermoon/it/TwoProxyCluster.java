package io.undermoon.it;

import io.undermoon.model.config.ConfigSource;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.ServerProxy;
import io.undermoon.process.FreePorts;
import io.undermoon.process.RedisProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Two server proxies, each in front of its own redis-server, set up as peers with UMCTL
 * SETCLUSTER: proxy 1 serves slots 0-8191 from redis 1, proxy 2 serves 8192-16383 from redis 2.
 */
final class TwoProxyCluster implements AutoCloseable {
    final RedisProcess redis1;
    final RedisProcess redis2;
    final ServerProxy proxy1;
    final ServerProxy proxy2;
    long epoch = 1;
    String password;

    private TwoProxyCluster(Map<String, Object> extraConfig) throws Exception {
        redis1 = RedisProcess.start();
        redis2 = RedisProcess.start();
        proxy1 = startProxy(extraConfig);
        proxy2 = startProxy(extraConfig);
    }

    static TwoProxyCluster start() throws Exception {
        return start(Map.of());
    }

    static TwoProxyCluster start(Map<String, Object> extraConfig) throws Exception {
        TwoProxyCluster c = new TwoProxyCluster(extraConfig);
        try {
            c.setCluster(1, "0-8191", "8192-16383");
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Proxies that require AUTH; SETCLUSTER is sent after authenticating. */
    static TwoProxyCluster startWithPassword(String password) throws Exception {
        return startWithConfig(Map.of("password", password));
    }

    static TwoProxyCluster startWithConfig(Map<String, Object> config) throws Exception {
        TwoProxyCluster c = new TwoProxyCluster(config);
        try {
            c.password = (String) config.get("password");
            c.setCluster(1, "0-8191", "8192-16383");
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    static ServerProxy startProxy(Map<String, Object> extraConfig) throws Exception {
        int port = FreePorts.next();
        Map<String, Object> conf = new HashMap<>(extraConfig);
        conf.put("address", "127.0.0.1:" + port);
        conf.put("announce_address", "127.0.0.1:" + port);
        return ServerProxy.start(ProxyConfig.load(ConfigSource.of(conf)));
    }

    String address1() {
        return "127.0.0.1:" + proxy1.port();
    }

    String address2() {
        return "127.0.0.1:" + proxy2.port();
    }

    /** Sends SETCLUSTER to both proxies: proxy 1 gets range1 from redis 1, proxy 2 gets range2. */
    void setCluster(long epoch, String range1, String range2) throws IOException {
        this.epoch = epoch;
        String r1 = range1.isEmpty() ? "" : " " + range1.split(" ").length + " " + range1;
        String r2 = range2.isEmpty() ? "" : " " + range2.split(" ").length + " " + range2;
        String one = "UMCTL SETCLUSTER v2 " + epoch + " NOFLAG mycluster " + redis1.address() + (r1.isEmpty() ? " 0" : r1)
                + " PEER " + address2() + (r2.isEmpty() ? " 0" : r2);
        String two = "UMCTL SETCLUSTER v2 " + epoch + " NOFLAG mycluster " + redis2.address() + (r2.isEmpty() ? " 0" : r2)
                + " PEER " + address1() + (r1.isEmpty() ? " 0" : r1);
        check(authed(proxy1.port(), one));
        check(authed(proxy2.port(), two));
    }

    private static void check(String reply) {
        if (!reply.equals("+OK")) {
            throw new IllegalStateException("SETCLUSTER failed: " + reply);
        }
    }

    private String authed(int port, String command) throws IOException {
        if (password == null) {
            return inline(port, command);
        }
        return inlineAuthed(port, password, command);
    }

    static String inlineAuthed(int port, String password, String command) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("AUTH " + password + "\r\n" + command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String auth = readLine(s.getInputStream());
            if (!auth.equals("+OK")) {
                return auth;
            }
            return readLine(s.getInputStream());
        }
    }

    /** Sends an inline command and returns the first line of the reply. */
    static String inline(int port, String command) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return readLine(s.getInputStream());
        }
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            proxy1.close();
        } finally {
            try {
                proxy2.close();
            } finally {
                redis1.close();
                redis2.close();
            }
        }
    }
}
