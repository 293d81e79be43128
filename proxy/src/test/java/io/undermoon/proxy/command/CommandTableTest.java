package io.undermoon.proxy.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.undermoon.model.SlotHash;
import io.undermoon.resp.Request;
import io.undermoon.resp.RequestDecoder;
import io.undermoon.resp.RespLimits;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class CommandTableTest {
    private final CommandTable table = CommandTable.get();

    @Test
    void lookupIgnoresCaseAndNeedsNoAllocation() {
        ByteBuf b = Unpooled.copiedBuffer("xxgEtxx", StandardCharsets.US_ASCII);
        assertThat(table.lookup(b, 2, 3).name()).isEqualTo("GET");
        assertThat(table.lookup(b, 2, 2)).isNull();
        assertThat(table.lookup("pInG").kind()).isEqualTo(CommandKind.LOCAL);
        assertThat(table.lookup("HMGET").firstKey()).isEqualTo(1);
        assertThat(table.lookup("nosuchcommand")).isNull();
        b.release();
    }

    @Test
    void everyEntryIsConsistent() {
        for (CommandSpec s : table.all()) {
            assertThat(table.lookup(s.name())).isSameAs(s);
            if (s.kind() == CommandKind.KEYED || s.kind() == CommandKind.BLOCKING) {
                assertThat(s.hasKeys()).as(s.name()).isTrue();
            }
            if (s.kind() == CommandKind.UNSUPPORTED) {
                assertThat(s.message()).as(s.name()).startsWith("ERR ");
            }
            if (s.mayDelete()) {
                assertThat(s.write()).as(s.name()).isTrue();
            }
        }
        assertThat(table.all().size()).isGreaterThan(200);
    }

    private static int slot(String... args) {
        return withRequest(args, r -> KeyFinder.slot(r, CommandTable.get().lookup(args[0])));
    }

    private static int withRequest(String[] args, ToIntFunction<Request> f) {
        StringBuilder sb = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        ByteBuf b = Unpooled.copiedBuffer(sb.toString(), StandardCharsets.US_ASCII);
        try {
            Request r = new RequestDecoder<>(RespLimits.DEFAULT, Request::new).decode(b);
            try {
                return f.applyAsInt(r);
            } finally {
                r.release();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            b.release();
        }
    }

    @Test
    void keyPositionsFollowTheCommandTable() {
        assertThat(slot("GET", "a")).isEqualTo(15495);
        assertThat(slot("SET", "b", "x")).isEqualTo(3300);
        assertThat(slot("MSET", "{t}1", "a", "{t}2", "b")).isEqualTo(SlotHash.slot("t"));
        assertThat(slot("MSET", "a", "x", "b", "y")).isEqualTo(KeyFinder.CROSS_SLOT);
        // values of MSET are not keys
        assertThat(slot("MSET", "{t}1", "a", "{t}2", "b-value-elsewhere")).isEqualTo(SlotHash.slot("t"));
        assertThat(slot("MGET", "a", "b")).isEqualTo(KeyFinder.CROSS_SLOT);
        assertThat(slot("BLPOP", "{q}1", "{q}2", "0")).isEqualTo(SlotHash.slot("q"));
        assertThat(slot("EVAL", "return 1", "2", "{k}a", "{k}b", "argv")).isEqualTo(SlotHash.slot("k"));
        assertThat(slot("EVAL", "return 1", "0")).isEqualTo(KeyFinder.NO_KEY);
        assertThat(slot("EVAL", "return 1", "3", "a")).isEqualTo(KeyFinder.TOO_MANY_NUMKEYS);
        assertThat(slot("EVAL", "return 1", "x")).isEqualTo(KeyFinder.BAD_NUMKEYS);
        assertThat(slot("ZUNIONSTORE", "{z}d", "2", "{z}a", "{z}b")).isEqualTo(SlotHash.slot("z"));
        assertThat(slot("ZUNIONSTORE", "{z}d", "2", "{z}a", "b")).isEqualTo(KeyFinder.CROSS_SLOT);
        assertThat(slot("XREAD", "COUNT", "2", "STREAMS", "{s}a", "{s}b", "0", "0")).isEqualTo(SlotHash.slot("s"));
        assertThat(slot("XREAD", "STREAMS", "a", "b", "0")).isEqualTo(KeyFinder.BAD_STREAMS);
        assertThat(slot("OBJECT", "ENCODING", "a")).isEqualTo(15495);
        assertThat(slot("BITOP", "AND", "{b}dst", "{b}x")).isEqualTo(SlotHash.slot("b"));
        assertThat(slot("SORT", "{s}list", "STORE", "other")).isEqualTo(KeyFinder.CROSS_SLOT);
        assertThat(slot("RENAME", "{r}a", "{r}b")).isEqualTo(SlotHash.slot("r"));
    }
}
