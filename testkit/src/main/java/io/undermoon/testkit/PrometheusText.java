package io.undermoon.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;

/**
 * Reads a {@code /metrics} page with a real Prometheus text-format parser (Hawkular's
 * prometheus-scraper) and checks what that parser lets through: every sample belongs to a family
 * declared with {@code # TYPE}, no family is declared twice, and names and label names are valid.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private PrometheusText() {}

    /** GETs {@code http://<hostPort>/metrics} and parses it. */
    public static Map<String, MetricFamily> scrape(String hostPort) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + hostPort + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IOException("GET /metrics on " + hostPort + ": HTTP " + r.statusCode());
            }
            String type = r.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("text/plain")) {
                throw new IOException("GET /metrics on " + hostPort + ": content type " + type);
            }
            return parse(r.body());
        }
    }

    /** The value (and optional timestamp) after the name and labels must be numbers. */
    private static void checkValue(String line) {
        int close = line.lastIndexOf('}');
        String rest = close >= 0 ? line.substring(close + 1) : line.substring(line.indexOf(' ') < 0 ? line.length() : line.indexOf(' '));
        String[] t = rest.trim().split(" ");
        boolean ok = t.length == 1 || t.length == 2;
        if (ok) {
            String v = t[0];
            if (!v.equals("NaN") && !v.equals("+Inf") && !v.equals("-Inf")) {
                try {
                    Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (ok && t.length == 2) {
                try {
                    Long.parseLong(t[1]);
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("bad sample value: " + line);
        }
    }

    /** The families by name; any malformed page is an {@link IllegalArgumentException}. */
    public static Map<String, MetricFamily> parse(String text) {
        String declared = null;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] t = line.split(" ");
                if (t.length != 4 || !NAME.matcher(t[2]).matches()) {
                    throw new IllegalArgumentException("bad TYPE line: " + line);
                }
                if (!seen.add(t[2])) {
                    throw new IllegalArgumentException("family declared twice: " + t[2]);
                }
                declared = t[2];
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
                String name = end < 0 ? line : line.substring(0, end);
                if (declared == null || !name.startsWith(declared)) {
                    throw new IllegalArgumentException("sample outside its declared family: " + line);
                }
                checkValue(line);
            }
        }
        CollectorPrometheusMetricsWalker walker = new CollectorPrometheusMetricsWalker();
        try {
            new TextPrometheusMetricsProcessor(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), walker).walk();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not the Prometheus text format: " + e, e);
        }
        Map<String, MetricFamily> out = new LinkedHashMap<>();
        List<MetricFamily> families = walker.getAllMetricFamilies();
        if (families == null) {
            throw new IllegalArgumentException("the parser read nothing");
        }
        for (MetricFamily f : families) {
            if (!NAME.matcher(f.getName()).matches()) {
                throw new IllegalArgumentException("bad metric name " + f.getName());
            }
            for (var m : f.getMetrics()) {
                for (String label : m.getLabels().keySet()) {
                    if (!LABEL.matcher(label).matches()) {
                        throw new IllegalArgumentException("bad label name " + label + " in " + f.getName());
                    }
                }
            }
            out.put(f.getName(), f);
        }
        if (out.size() != seen.size()) {
            throw new IllegalArgumentException("declared " + seen.size() + " families, the parser read " + out.size());
        }
        return out;
    }
}
