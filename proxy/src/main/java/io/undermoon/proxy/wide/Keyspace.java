package io.undermoon.proxy.wide;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.undermoon.proxy.reply.Replies;
import io.undermoon.proxy.reply.ReplyTarget;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * INFO's keyspace section over several Redis: the {@code db0:keys=..,expires=..,avg_ttl=..} lines of
 * every reply summed (avg_ttl weighted by the keys with an expiry). Other databases are not used
 * behind the proxy (SELECT is refused).
 */
final class Keyspace {
    private long keys;
    private long expires;
    private double ttlWeighted;
    private String error;

    void add(ByteBuf reply) {
        if (Parts.isError(reply)) {
            error = error == null ? Parts.firstLine(reply).substring(1) : error;
            return;
        }
        String text = reply.toString(StandardCharsets.UTF_8);
        for (String line : text.split("\r\n")) {
            if (!line.startsWith("db0:")) {
                continue;
            }
            long k = 0;
            long e = 0;
            long ttl = 0;
            for (String field : line.substring(4).split(",")) {
                int eq = field.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                long v = Long.parseLong(field.substring(eq + 1).trim());
                switch (field.substring(0, eq)) {
                    case "keys" -> k = v;
                    case "expires" -> e = v;
                    case "avg_ttl" -> ttl = v;
                    default -> { }
                }
            }
            keys += k;
            expires += e;
            ttlWeighted += (double) ttl * e;
        }
    }

    String section() {
        String s = "# Keyspace\r\n";
        if (keys > 0) {
            s += "db0:keys=" + keys + ",expires=" + expires + ",avg_ttl="
                    + (expires == 0 ? 0 : Math.round(ttlWeighted / expires)) + "\r\n";
        }
        return s;
    }

    /** A target per part; {@code done} gets the merged section (or the first error) once all arrived. */
    static ReplyTarget[] collect(int parts, ByteBufAllocator alloc, ReplyTarget whole, Function<String, String> render) {
        Keyspace ks = new Keyspace();
        int[] missing = {parts};
        ReplyTarget[] targets = new ReplyTarget[parts];
        for (int i = 0; i < parts; i++) {
            targets[i] = new ReplyTarget() {
                @Override
                public void complete(ByteBuf reply) {
                    try {
                        ks.add(reply);
                    } catch (RuntimeException e) {
                        ks.error = "ERR unexpected INFO reply from a backend: " + e.getMessage();
                    } finally {
                        reply.release();
                    }
                    if (--missing[0] == 0) {
                        whole.complete(ks.error != null ? Replies.error(alloc, ks.error)
                                : Replies.bulk(alloc, render.apply(ks.section())));
                    }
                }

                @Override
                public boolean isCancelled() {
                    return whole.isCancelled();
                }
            };
        }
        return targets;
    }
}
