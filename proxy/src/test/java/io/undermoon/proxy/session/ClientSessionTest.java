package io.undermoon.proxy.session;

import static io.undermoon.proxy.EmbeddedProxy.finish;
import static io.undermoon.proxy.EmbeddedProxy.replies;
import static io.undermoon.proxy.EmbeddedProxy.resp;
import static io.undermoon.proxy.EmbeddedProxy.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.undermoon.proxy.EmbeddedProxy;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client connection on an {@link EmbeddedChannel}: decoding across any split of the input,
 * replies in request order, and the ways a session ends.
 */
class ClientSessionTest {
    private final EmbeddedProxy proxy = new EmbeddedProxy();

    @Test
    void pipelinedCommandsSplitAtEveryByteAreAnsweredInOrder() {
        EmbeddedChannel ch = proxy.connect();
        byte[] input = (resp("PING") + resp("ECHO", "hello") + "PING inline\r\n" + resp("CLUSTER", "KEYSLOT", "foo"))
                .getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        for (byte b : input) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            out.append(replies(ch));
        }
        assertThat(out.toString()).isEqualTo("+PONG\r\n$5\r\nhello\r\n$6\r\ninline\r\n:12182\r\n");
        finish(ch);
    }

    @Test
    void aWholeBatchIsFlushedOnceAtTheEndOfTheLoopIteration() {
        EmbeddedChannel ch = proxy.connect();
        AtomicInteger flushes = new AtomicInteger();
        ch.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                flushes.incrementAndGet();
                ctx.flush();
            }
        });
        assertThat(send(ch, resp("PING") + resp("ECHO", "a") + resp("PING"))).isEqualTo("+PONG\r\n$1\r\na\r\n+PONG\r\n");
        assertThat(flushes).as("one flush for three replies").hasValue(1);
        finish(ch);
    }

    @Test
    void aProtocolErrorIsAnsweredAfterTheEarlierRepliesThenTheSessionCloses() {
        EmbeddedChannel ch = proxy.connect();
        assertThat(send(ch, resp("PING") + "*1\r\n:1\r\n" + resp("PING")))
                .isEqualTo("+PONG\r\n-ERR Protocol error: expected '$', got ':'\r\n");
        assertThat(ch.isOpen()).isFalse();
        assertThat(proxy.context.stats().protocolErrors.sum()).isEqualTo(1);
        finish(ch);
    }

    @Test
    void quitAnswersOkAndClosesWithoutRunningWhatFollows() {
        EmbeddedChannel ch = proxy.connect();
        assertThat(send(ch, resp("QUIT") + resp("PING"))).isEqualTo("+OK\r\n");
        assertThat(ch.isOpen()).isFalse();
        finish(ch);
    }

    @Test
    void anIdleSessionWithNothingPendingIsClosed() {
        EmbeddedChannel ch = proxy.connect();
        assertThat(send(ch, resp("PING"))).isEqualTo("+PONG\r\n");
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.FIRST_READER_IDLE_STATE_EVENT);
        assertThat(ch.isOpen()).isFalse();
        finish(ch);
    }

    @Test
    void aSessionCountsAsConnectedUntilItsChannelCloses() {
        EmbeddedChannel a = proxy.connect();
        EmbeddedChannel b = proxy.connect();
        assertThat(proxy.context.stats().connectedClients.get()).isEqualTo(2);
        finish(a);
        assertThat(proxy.context.stats().connectedClients.get()).isEqualTo(1);
        finish(b);
        assertThat(proxy.context.stats().connectedClients.get()).isZero();
    }

    @Test
    void aRequestOverTheArrayLimitIsRefusedBeforeItsArgumentsArrive() {
        EmbeddedProxy limited = new EmbeddedProxy(Map.of("max_array_length", 4));
        EmbeddedChannel ch = limited.connect();
        assertThat(send(ch, "*5\r\n")).startsWith("-ERR Protocol error: ").endsWith("\r\n");
        assertThat(ch.isOpen()).isFalse();
        finish(ch);
    }
}
