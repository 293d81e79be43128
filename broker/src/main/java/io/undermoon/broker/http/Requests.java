package io.undermoon.broker.http;

import io.javalin.http.Context;
import io.undermoon.broker.BrokerJson;
import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reading request bodies, path and query parameters, each failure a JSON error. */
final class Requests {
    private Requests() {}

    /**
     * The body as {@code type}: 415 UNSUPPORTED_MEDIA_TYPE for a Content-Type other than JSON (a
     * missing one is accepted), 413 PAYLOAD_TOO_LARGE beyond {@code maxBytes}, 400 INVALID_REQUEST
     * for malformed JSON or a wrong type.
     */
    static <T> T json(Context ctx, Class<T> type, long maxBytes) throws BrokerException {
        return parse(body(ctx, maxBytes), type);
    }

    static <T> T parse(byte[] body, Class<T> type) throws BrokerException {
        try {
            return BrokerJson.read(body, type);
        } catch (IOException e) {
            throw new BrokerException(BrokerError.INVALID_REQUEST, "invalid JSON body: " + firstLine(e.getMessage()));
        }
    }

    static byte[] body(Context ctx, long maxBytes) throws BrokerException {
        String contentType = ctx.header("Content-Type");
        if (contentType != null && !contentType.isBlank()) {
            String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!mime.equals("application/json")) {
                throw new BrokerException(BrokerError.UNSUPPORTED_MEDIA_TYPE, "expected application/json, got " + contentType);
            }
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw new BrokerException(BrokerError.PAYLOAD_TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
        }
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, 1 << 16)));
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new BrokerException(BrokerError.PAYLOAD_TOO_LARGE, "the body is larger than " + maxBytes + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new BrokerException(BrokerError.INVALID_REQUEST, "cannot read the body: " + e.getMessage());
        }
    }

    /** A u64 path parameter; anything else means the route does not match (404, as in the reference). */
    static long pathNumber(Context ctx, String name) throws BrokerException {
        String v = ctx.pathParam(name);
        try {
            long n = Long.parseLong(v);
            if (n >= 0 && !v.startsWith("+")) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to 404
        }
        throw new BrokerException(BrokerError.NOT_FOUND, "no route for " + ctx.method() + " " + ctx.path());
    }

    /** An optional non-negative integer query parameter: 400 INVALID_REQUEST if present and invalid. */
    static long queryNumber(Context ctx, String name, long def) throws BrokerException {
        String v = ctx.queryParam(name);
        if (v == null) {
            return def;
        }
        try {
            long n = Long.parseLong(v);
            if (n >= 0 && !v.startsWith("+")) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        throw new BrokerException(BrokerError.INVALID_REQUEST, "invalid query parameter " + name + "=" + v);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int i = s.indexOf('\n');
        String line = i < 0 ? s : s.substring(0, i);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
