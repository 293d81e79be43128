package io.undermoon.resp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators and encoders of client request streams (RESP arrays and inline commands). */
final class RequestStreams {
    private RequestStreams() {}

    /** How a command is written: a RESP array, an inline line ending in CRLF or LF, or skipped noise. */
    enum Form { RESP, INLINE_CRLF, INLINE_LF }

    record Cmd(List<byte[]> args, Form form) {
        @Override
        public String toString() {
            return form + " " + args.stream().map(a -> io.undermoon.testsupport.fuzz.Printable.bytes(a, 80)).toList();
        }
    }

    /** Stream tokens RESP parsers trip over, for the mutator's dictionary. */
    static final List<String> DICTIONARY = List.of(
            "\r\n", "\r", "\n", "*", "$", ":", "+", "-", "*1\r\n", "*2\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n", "$0\r\n\r\n",
            "*1048576\r\n", "*1048577\r\n", "$536870912\r\n", "$536870913\r\n", "*2147483648\r\n",
            "$9223372036854775807\r\n", "*9999999999999999999\r\n", "$9999999999999999999\r\n", "$04\r\n", "*01\r\n",
            "$-0\r\n", "*+1\r\n", "\"", "'", "\\x4", "\\x41", "\\", " ", "\t", "\u000b", "\f", "\u0000", "PING\r\n",
            "*1\r\n*1\r\n*1\r\n", ":1\r\n", "+OK\r\n", "a\"b c\"", "''", "\"\"", "\u00ff\u00fe");

    private static final List<String> WORDS = List.of("PING", "ECHO", "GET", "SET", "MGET", "DEL", "key", "{tag}a",
            "value", "", " ", "\"", "'", "*", "$3", "\r\n", "*1\r\n$4\r\nPING\r\n");

    static Arbitrary<byte[]> args() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(WORDS).map(s -> s.getBytes(StandardCharsets.UTF_8))),
                Tuple.of(4, Arbitraries.bytes().array(byte[].class).ofMaxSize(24)),
                Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMinSize(100).ofMaxSize(3000)));
    }

    static Arbitrary<Cmd> commands() {
        return Combinators.combine(args().list().ofMinSize(1).ofMaxSize(6),
                        Arbitraries.frequency(Tuple.of(3, Form.RESP), Tuple.of(1, Form.INLINE_CRLF), Tuple.of(1, Form.INLINE_LF)))
                .as(Cmd::new);
    }

    static Arbitrary<List<Cmd>> streams() {
        return commands().list().ofMinSize(1).ofMaxSize(12);
    }

    static byte[] encode(List<Cmd> cmds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Cmd c : cmds) {
            encode(c, out);
        }
        return out.toByteArray();
    }

    static void encode(Cmd c, ByteArrayOutputStream out) {
        if (c.form() == Form.RESP) {
            ascii(out, "*" + c.args().size() + "\r\n");
            for (byte[] a : c.args()) {
                ascii(out, "$" + a.length + "\r\n");
                out.writeBytes(a);
                ascii(out, "\r\n");
            }
            return;
        }
        for (int i = 0; i < c.args().size(); i++) {
            if (i > 0) {
                out.write(' ');
            }
            inlineArg(c.args().get(i), out);
        }
        ascii(out, c.form() == Form.INLINE_CRLF ? "\r\n" : "\n");
    }

    /** A token as redis-cli would type it: bare when it is plain, otherwise double-quoted with escapes. */
    private static void inlineArg(byte[] a, ByteArrayOutputStream out) {
        boolean bare = a.length > 0 && a[0] != '*';
        for (byte b : a) {
            if (b <= ' ' || b >= 127 || b == '"' || b == '\'') {
                bare = false;
                break;
            }
        }
        if (bare) {
            out.writeBytes(a);
            return;
        }
        out.write('"');
        for (byte b : a) {
            if (b >= ' ' && b < 127 && b != '"' && b != '\\') {
                out.write(b);
            } else {
                ascii(out, String.format("\\x%02x", b & 0xff));
            }
        }
        out.write('"');
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
