package io.undermoon.broker.http;

import io.javalin.http.Context;
import io.undermoon.broker.BrokerJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Writing responses. Every JSON answer is gzip-encoded when the client accepts gzip
 * ({@code Accept-Encoding}) and plain otherwise, so curl works without flags. (The reference always
 * gzips the metadata, cluster meta and proxy meta routes, whatever the client asked.)
 */
final class Responses {
    private Responses() {}

    /** JSON, gzipped when the client accepts gzip. */
    static void json(Context ctx, Object value) {
        jsonBytes(ctx, BrokerJson.write(value));
    }

    /** Already serialized JSON, gzipped when the client accepts gzip. */
    static void jsonBytes(Context ctx, byte[] json) {
        byte[] body = json;
        ctx.contentType("application/json");
        ctx.header("Vary", "Accept-Encoding");
        if (acceptsGzip(ctx.header("Accept-Encoding"))) {
            ctx.header("Content-Encoding", "gzip");
            body = gzip(body);
        }
        ctx.result(body);
    }

    /** 200 with an empty body. */
    static void empty(Context ctx) {
        ctx.status(200);
        ctx.result(new byte[0]);
    }

    /** True if the header lists gzip (or *) without {@code q=0}. */
    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] tokens = part.trim().split(";");
            String coding = tokens[0].trim().toLowerCase(Locale.ROOT);
            if (!coding.equals("gzip") && !coding.equals("x-gzip") && !coding.equals("*")) {
                continue;
            }
            boolean zero = false;
            for (int i = 1; i < tokens.length; i++) {
                String p = tokens[i].trim().toLowerCase(Locale.ROOT).replace(" ", "");
                if (p.startsWith("q=")) {
                    try {
                        zero = Double.parseDouble(p.substring(2)) <= 0;
                    } catch (NumberFormatException e) {
                        zero = true;
                    }
                }
            }
            if (!zero) {
                return true;
            }
        }
        return false;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
