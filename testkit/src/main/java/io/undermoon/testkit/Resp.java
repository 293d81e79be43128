package io.undermoon.testkit;

import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One command on a fresh connection of resp's {@link BlockingRespClient}, its reply rendered for
 * short assertions: simple and error lines as {@code "+..."} / {@code "-..."}, integers as
 * {@code ":n"}, bulk strings as their text (null for nil), arrays as a List. For readiness checks
 * and assertions, not for data traffic.
 */
public final class Resp {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Resp() {}

    public static Object command(String address, String... args) throws IOException {
        try (BlockingRespClient c = BlockingRespClient.connect(address, TIMEOUT)) {
            return render(c.command(args));
        }
    }

    public static Object command(String host, int port, String... args) throws IOException {
        try (BlockingRespClient c = BlockingRespClient.connect(host, port, TIMEOUT)) {
            return render(c.command(args));
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

    /** The rendering described above. */
    public static Object render(RespReply reply) {
        return switch (reply) {
            case RespReply.Simple s -> "+" + s.text();
            case RespReply.Error e -> "-" + e.message();
            case RespReply.Int i -> ":" + i.value();
            case RespReply.Bulk b -> b.text();
            case RespReply.Nil n -> null;
            case RespReply.Array a -> {
                List<Object> items = new ArrayList<>(a.items().size());
                a.items().forEach(item -> items.add(render(item)));
                yield items;
            }
        };
    }
}
