package io.undermoon.broker.config;

import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where and how the broker reaches etcd when {@code storage_type = "etcd"} (ours; the reference has
 * no etcd store). Read from every configuration; checked only when etcd is the store, so a memory
 * broker is never refused for an etcd key it does not use.
 *
 * @param endpoints       client URLs, {@code http://host:port} ({@code etcd_endpoints}: a TOML array, or one
 *                        comma-separated string as {@code UNDERMOON_ETCD_ENDPOINTS})
 * @param prefix          every key of this system starts with {@code prefix + "/"} ({@code etcd_prefix}), so
 *                        several undermoon systems may share one etcd
 * @param timeout         bound of one etcd request, and of the start-up load ({@code etcd_timeout_ms})
 * @param connectTimeout  bound of one connection attempt ({@code etcd_connect_timeout_ms})
 * @param user            etcd user, or empty for none ({@code etcd_user})
 * @param password        its password ({@code etcd_password}); never logged
 */
public record EtcdSettings(List<String> endpoints, String prefix, Duration timeout, Duration connectTimeout,
                           String user, String password) {

    public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:2379";
    public static final String DEFAULT_PREFIX = "/undermoon";

    public EtcdSettings {
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(prefix, "etcd_prefix");
        Objects.requireNonNull(timeout, "etcd_timeout_ms");
        Objects.requireNonNull(connectTimeout, "etcd_connect_timeout_ms");
        Objects.requireNonNull(user, "etcd_user");
        Objects.requireNonNull(password, "etcd_password");
    }

    /** Reads the etcd keys; {@code check} validates them (only when etcd is the store). */
    static EtcdSettings from(ConfigSource src, boolean check) throws ConfigException {
        List<String> endpoints = src.getStringList("etcd_endpoints", List.of(DEFAULT_ENDPOINT), true);
        String prefix = src.getString("etcd_prefix", DEFAULT_PREFIX);
        String user = src.getString("etcd_user", "");
        String password = src.getString("etcd_password", "");
        EtcdSettings s = new EtcdSettings(endpoints, normalisePrefix(prefix),
                src.getMillis("etcd_timeout_ms", 3000, 1), src.getMillis("etcd_connect_timeout_ms", 2000, 1),
                user, password);
        if (check) {
            if (endpoints.isEmpty()) {
                throw new ConfigException("invalid field etcd_endpoints: at least one endpoint is needed with storage_type = etcd");
            }
            for (String e : endpoints) {
                checkEndpoint(e);
            }
            if (prefix.isBlank() || !prefix.startsWith("/") || prefix.contains("//") || prefix.chars().anyMatch(c -> c < 0x21)) {
                throw new ConfigException("invalid field etcd_prefix: expected a path such as /undermoon"
                        + " (starting with '/', no empty segment, no spaces), got '" + prefix + "'");
            }
            if (user.isEmpty() != password.isEmpty()) {
                throw new ConfigException("invalid field " + (user.isEmpty() ? "etcd_user" : "etcd_password")
                        + ": etcd_user and etcd_password go together");
            }
        }
        return s;
    }

    private static String normalisePrefix(String prefix) {
        String p = prefix.trim();
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static void checkEndpoint(String endpoint) throws ConfigException {
        String problem = null;
        try {
            URI u = new URI(endpoint);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                problem = "the scheme must be http or https";
            } else if (u.getHost() == null || u.getPort() <= 0) {
                problem = "expected http://host:port";
            } else if (u.getPath() != null && !u.getPath().isEmpty() && !u.getPath().equals("/")) {
                problem = "an endpoint has no path";
            }
        } catch (URISyntaxException e) {
            problem = "not a URL";
        }
        if (problem != null) {
            throw new ConfigException("invalid field etcd_endpoints: " + problem + ", got '" + endpoint + "'");
        }
    }

    @Override
    public String toString() {
        return "etcd_endpoints=" + endpoints + ", etcd_prefix=" + prefix + ", etcd_timeout_ms=" + timeout.toMillis()
                + (user.isEmpty() ? "" : ", etcd_user=" + user);
    }
}
