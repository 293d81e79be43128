package io.undermoon.resp;

import io.undermoon.resp.client.RespReplyReader;
import io.undermoon.resp.client.RespReply;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of RESP2/RESP3 replies (every type, nested) with the value {@link RespReplyReader}
 * must give for each, rendered as text so that values with byte arrays compare by content.
 */
public final class ReplyStreams {
    private ReplyStreams() {}

    /** One encoded reply and the rendering of the value it parses to. */
    public record Encoded(byte[] bytes, String value) {
        @Override
        public String toString() {
            return io.undermoon.testsupport.fuzz.Printable.bytes(bytes, 200);
        }
    }

    public static final List<String> DICTIONARY = List.of("\r\n", "\r", "\n", "*", "%", "~", ">", "|", "$", "!", "=", "+", "-",
            ":", "_", "#", ",", "(", "*-1\r\n", "$-1\r\n", "*1\r\n", "%1\r\n", "|1\r\n", "*3\r\n", "$0\r\n\r\n",
            "*1048577\r\n", "$536870913\r\n", "%9223372036854775807\r\n", "%4611686018427387904\r\n",
            "*9999999999999999999\r\n", "$04\r\n", "txt:", "#t\r\n", "_\r\n", "\u0000");

    private static Arbitrary<String> line() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20);
    }

    /** RESP2 replies only (simple, error, integer, bulk, array, nil), nested up to {@code depth}. */
    public static Arbitrary<Encoded> resp2Replies(int depth) {
        Arbitrary<Encoded> leaves = resp2Leaves();
        if (depth == 0) {
            return leaves;
        }
        Arbitrary<Encoded> arrays = Arbitraries.lazy(() -> Combinators.combine(Arbitraries.of('*', 'n'),
                resp2Replies(depth - 1).list().ofMaxSize(4), resp2Leaves()).as(ReplyStreams::aggregate));
        return Arbitraries.frequencyOf(Tuple.of(3, leaves), Tuple.of(2, arrays));
    }

    private static Arbitrary<Encoded> resp2Leaves() {
        return Arbitraries.oneOf(
                line().map(s -> enc("+" + s + "\r\n", "S(" + s + ")")),
                line().map(s -> enc("-" + s + "\r\n", "E(" + s + ")")),
                Arbitraries.longs().map(n -> enc(":" + n + "\r\n", "I(" + n + ")")),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> bulk('$', b, "B(" + hex(b) + ")")),
                Arbitraries.just(enc("$-1\r\n", "nil")));
    }

    private static Arbitrary<Encoded> leaves() {
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return Arbitraries.oneOf(
                line().map(s -> enc("+" + s + "\r\n", "S(" + s + ")")),
                line().map(s -> enc("-" + s + "\r\n", "E(" + s + ")")),
                Arbitraries.longs().map(n -> enc(":" + n + "\r\n", "I(" + n + ")")),
                payload.map(b -> bulk('$', b, "B(" + hex(b) + ")")),
                Arbitraries.of(enc("$-1\r\n", "nil"), enc("_\r\n", "nil"), enc("#t\r\n", "I(1)"), enc("#f\r\n", "I(0)")),
                Arbitraries.doubles().map(d -> enc("," + d + "\r\n", "S(" + d + ")")),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(40)),
                        new java.math.BigInteger("1" + "0".repeat(40))).map(n -> enc("(" + n + "\r\n", "S(" + n + ")")),
                line().map(s -> bulk('!', s.getBytes(StandardCharsets.US_ASCII), "E(" + s + ")")),
                line().map(s -> bulk('=', ("txt:" + s).getBytes(StandardCharsets.US_ASCII),
                        "B(" + hex(s.getBytes(StandardCharsets.US_ASCII)) + ")")));
    }

    public static Arbitrary<Encoded> replies(int depth) {
        if (depth == 0) {
            return leaves();
        }
        return Arbitraries.frequencyOf(Tuple.of(3, leaves()), Tuple.of(2, Arbitraries.lazy(() -> aggregates(depth - 1))));
    }

    private static Arbitrary<Encoded> aggregates(int depth) {
        return Combinators.combine(Arbitraries.of('*', '%', '~', '>', '|', 'n'), replies(depth).list().ofMaxSize(4),
                replies(depth)).as((type, children, annotated) -> aggregate(type, children, annotated));
    }

    private static Encoded aggregate(char type, List<Encoded> children, Encoded annotated) {
        if (type == 'n') {
            return enc("*-1\r\n", "nil");
        }
        List<Encoded> items = new ArrayList<>(children);
        boolean pairs = type == '%' || type == '|';
        if (pairs && items.size() % 2 == 1) {
            items.remove(items.size() - 1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((type + Integer.toString(pairs ? items.size() / 2 : items.size()) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        StringJoiner value = new StringJoiner(",", "A[", "]");
        for (Encoded e : items) {
            out.writeBytes(e.bytes());
            value.add(e.value());
        }
        if (type == '|') {
            out.writeBytes(annotated.bytes());
            return new Encoded(out.toByteArray(), annotated.value());
        }
        return new Encoded(out.toByteArray(), value.toString());
    }

    public static byte[] concat(List<Encoded> replies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        replies.forEach(r -> out.writeBytes(r.bytes()));
        return out.toByteArray();
    }

    /** The rendering {@link Encoded#value()} uses, of a parsed value. */
    static String render(RespReply v) {
        return switch (v) {
            case RespReply.Simple s -> "S(" + s.text() + ")";
            case RespReply.Error e -> "E(" + e.message() + ")";
            case RespReply.Int i -> "I(" + i.value() + ")";
            case RespReply.Bulk b -> "B(" + hex(b.data()) + ")";
            case RespReply.Nil n -> "nil";
            case RespReply.Array a -> {
                StringJoiner j = new StringJoiner(",", "A[", "]");
                a.items().forEach(e -> j.add(render(e)));
                yield j.toString();
            }
        };
    }

    private static Encoded enc(String s, String value) {
        return new Encoded(s.getBytes(StandardCharsets.US_ASCII), value);
    }

    private static Encoded bulk(char type, byte[] b, String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((type + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(b);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return new Encoded(out.toByteArray(), value);
    }

    public static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }
}
