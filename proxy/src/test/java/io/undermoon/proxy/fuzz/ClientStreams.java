package io.undermoon.proxy.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.undermoon.resp.Request;
import io.undermoon.resp.RequestDecoder;
import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Client request streams for fuzzing the proxy: commands a Redis Cluster client sends (data
 * commands on one slot or several, cluster and proxy commands, refused and unknown ones), written as
 * RESP arrays or inline lines, and what the proxy's own decoder will make of a (mutated) stream.
 */
final class ClientStreams {
    private ClientStreams() {}

    /** A command and whether it is written inline. */
    record Cmd(List<byte[]> args, boolean inline) {
        @Override
        public String toString() {
            return (inline ? "inline" : "resp") + args.stream().map(a -> new String(a, StandardCharsets.ISO_8859_1)).toList();
        }
    }

    static final List<String> DICTIONARY = List.of("\r\n", "\n", "*", "$", "*1\r\n", "$-1\r\n", "*0\r\n", "*1048577\r\n",
            "$536870913\r\n", "*2147483648\r\n", "$04\r\n", "*01\r\n", "$-0\r\n", "\"", "'", "\\x41", " ", "\u0000", "PING\r\n",
            "QUIT", "*1\r\n*1\r\n", ":1\r\n", "{t}", "CLUSTER");

    /** Commands that block or hold the connection: a stream holding one is not checked reply by reply. */
    static final Set<String> BLOCKING = Set.of("BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX",
            "BZMPOP", "XREAD", "XREADGROUP", "WAIT", "WAITAOF", "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "MONITOR", "SYNC",
            "PSYNC", "SHUTDOWN", "DEBUG");

    private static Arbitrary<String> keys() {
        return Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(0, 50).map(i -> "k" + i)),
                Tuple.of(2, Arbitraries.of("{t}a", "{t}b", "{t}c", "a", "b", "", "{", "}{", "\u00e9")));
    }

    private static Arbitrary<String> values() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20)),
                Tuple.of(2, Arbitraries.strings().ofMaxLength(10)),
                Tuple.of(1, Arbitraries.integers().between(1, 200_000).map(n -> "v".repeat(n))));
    }

    private static Arbitrary<List<String>> commandWords() {
        Arbitrary<String> k = keys();
        Arbitrary<String> v = values();
        return Arbitraries.oneOf(
                Arbitraries.of(List.of("PING"), List.of("INFO"), List.of("DBSIZE"), List.of("CLUSTER", "NODES"),
                        List.of("CLUSTER", "SLOTS"), List.of("CLUSTER", "INFO"), List.of("CLUSTER", "SHARDS"),
                        List.of("CLUSTER", "MYID"), List.of("CONFIG", "GET", "*"), List.of("COMMAND", "COUNT"),
                        List.of("SELECT", "0"), List.of("SELECT", "1"), List.of("HELLO"), List.of("HELLO", "3"),
                        List.of("CLIENT", "GETNAME"), List.of("CLIENT", "ID"), List.of("MULTI"), List.of("EXEC"),
                        List.of("PUBLISH", "c", "m"), List.of("SLOWLOG", "GET"), List.of("SLOWLOG", "LEN"), List.of("RANDOMKEY"),
                        List.of("KEYS", "{t}*"), List.of("SCAN", "0"), List.of("TIME"), List.of("LASTSAVE"), List.of("GET"),
                        List.of("ASKING"), List.of("READONLY"), List.of("AUTH", "x"), List.of("NOSUCHCOMMAND"),
                        List.of("UMCTL", "GETEPOCH"), List.of("UMCTL", "INFOMGR"), List.of("UMCTL", "NOPE")),
                v.map(x -> List.of("PING", x)), v.map(x -> List.of("ECHO", x)),
                Combinators.combine(k, v).as((a, b) -> List.of("SET", a, b)),
                k.map(a -> List.of("GET", a)), k.map(a -> List.of("DEL", a)), k.map(a -> List.of("INCR", a)),
                k.map(a -> List.of("STRLEN", a)), k.map(a -> List.of("EXISTS", a)), k.map(a -> List.of("TTL", a)),
                k.map(a -> List.of("CLUSTER", "KEYSLOT", a)), k.map(a -> List.of("TYPE", a)),
                Combinators.combine(k, v).as((a, b) -> List.of("APPEND", a, b)),
                Combinators.combine(k, v).as((a, b) -> List.of("LPUSH", a, b)),
                k.map(a -> List.of("LRANGE", a, "0", "-1")),
                Combinators.combine(k, v).as((a, b) -> List.of("HSET", a, "f", b)),
                k.map(a -> List.of("HGETALL", a)),
                Combinators.combine(k, k).as((a, b) -> List.of("MGET", a, b)),
                Combinators.combine(k, v, k).as((a, b, c) -> List.of("MSET", a, b, c, b)),
                Combinators.combine(k, v).as((a, b) -> List.of("CONFIG", "SET", "slowlog_log_slower_than", b)),
                v.map(x -> List.of("EVAL", "return ARGV[1]", "0", x)),
                v.map(x -> List.of("CLIENT", "SETNAME", x)));
    }

    static Arbitrary<Cmd> commands() {
        return Combinators.combine(commandWords(), Arbitraries.integers().between(0, 3))
                .as((words, form) -> new Cmd(words.stream().map(w -> w.getBytes(StandardCharsets.UTF_8)).toList(), form == 0));
    }

    static byte[] encode(List<Cmd> cmds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Cmd c : cmds) {
            if (!c.inline()) {
                ascii(out, "*" + c.args().size() + "\r\n");
                for (byte[] a : c.args()) {
                    ascii(out, "$" + a.length + "\r\n");
                    out.writeBytes(a);
                    ascii(out, "\r\n");
                }
                continue;
            }
            for (int i = 0; i < c.args().size(); i++) {
                if (i > 0) {
                    out.write(' ');
                }
                out.write('"');
                for (byte b : c.args().get(i)) {
                    if (b >= ' ' && b < 127 && b != '"' && b != '\\' && b != '\'') {
                        out.write(b);
                    } else {
                        ascii(out, String.format("\\x%02x", b & 0xff));
                    }
                }
                out.write('"');
            }
            ascii(out, "\r\n");
        }
        return out.toByteArray();
    }

    /** What the proxy's decoder, with its limits, makes of a stream: requests, then an error, unread bytes or nothing. */
    record Decoded(List<List<byte[]>> requests, String error, boolean pending) {
        /** Index of the first QUIT, or -1. */
        int firstQuit() {
            for (int i = 0; i < requests.size(); i++) {
                if (name(i).equals("QUIT")) {
                    return i;
                }
            }
            return -1;
        }

        boolean anyBlocking() {
            for (int i = 0; i < requests.size(); i++) {
                if (BLOCKING.contains(name(i))) {
                    return true;
                }
            }
            return false;
        }

        String name(int i) {
            return new String(requests.get(i).get(0), StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
        }
    }

    static Decoded decode(byte[] stream, RespLimits limits) {
        RequestDecoder<Request> d = new RequestDecoder<>(limits, Request::new);
        ByteBuf buf = Unpooled.wrappedBuffer(stream);
        List<List<byte[]>> requests = new ArrayList<>();
        try {
            Request r;
            while ((r = d.decode(buf)) != null) {
                List<byte[]> args = new ArrayList<>();
                for (int i = 0; i < r.argc(); i++) {
                    args.add(r.argBytes(i));
                }
                requests.add(args);
                r.release();
            }
            return new Decoded(requests, null, d.inProgress() || buf.isReadable());
        } catch (RespProtocolException e) {
            return new Decoded(requests, e.getMessage(), false);
        } finally {
            buf.release();
        }
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
