package io.undermoon.proxy.pubsub;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.undermoon.model.Addresses;
import io.undermoon.proxy.backend.Cumulator;
import io.undermoon.resp.ReplyFramer;
import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * One subscriber's connection to a Redis (or, for a sharded channel of a peer's slot with active
 * redirection, to the peer proxy). Every frame Redis pushes is relayed to the client as it is;
 * the (un)subscribe confirmations are also counted, so that the session knows when a command is
 * done and which channels it holds here. Lives on the subscriber's event loop.
 */
final class Link extends ChannelInboundHandlerAdapter {
    /** What one command sent on the link still expects: its confirmations, or one reply to swallow (AUTH). */
    private static final class Expect {
        int remaining;
        final boolean swallow;

        Expect(int remaining, boolean swallow) {
            this.remaining = remaining;
            this.swallow = swallow;
        }
    }

    final String address;
    final boolean peer;
    final Set<String> channels = new HashSet<>();
    final Set<String> patterns = new HashSet<>();
    final Set<String> shards = new HashSet<>();
    private final Subscriber owner;
    private final ReplyFramer framer = new ReplyFramer(RespLimits.DEFAULT);
    private final ArrayDeque<Expect> expects = new ArrayDeque<>();
    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private Channel channel;
    private ByteBuf cumulation;
    private boolean closing;

    Link(Subscriber owner, String address, boolean peer) {
        this.owner = owner;
        this.address = address;
        this.peer = peer;
    }

    boolean holdsAny() {
        return !channels.isEmpty() || !patterns.isEmpty() || !shards.isEmpty();
    }

    /** Connects on the subscriber's event loop; {@code auth} (may be null) is sent first and its reply swallowed. */
    void connect(Channel client, ByteBuf auth) {
        Optional<Addresses.HostPort> hp = Addresses.parse(address);
        if (hp.isEmpty()) {
            if (auth != null) {
                auth.release();
            }
            owner.linkLost(this, "invalid address " + address);
            return;
        }
        if (auth != null) {
            expects.add(new Expect(1, true));
            waiting.add(auth);
        }
        if (peer) {
            // the peer proxy then never relays this subscriber's commands further
            expects.add(new Expect(1, true));
            waiting.add(io.undermoon.proxy.transaction.Transactions.UMPEER.duplicate());
        }
        ChannelFuture f = new Bootstrap().group(client.eventLoop()).channel(client.getClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 3000)
                .handler(this)
                .connect(hp.get().host(), hp.get().port());
        channel = f.channel();
        f.addListener((ChannelFuture done) -> {
            if (!done.isSuccess()) {
                releaseWaiting();
                owner.linkLost(this, "cannot connect to " + address);
                return;
            }
            ByteBuf b;
            while ((b = waiting.poll()) != null) {
                channel.write(b, channel.voidPromise());
            }
            channel.flush();
        });
    }

    /** Sends a (un)subscribe command that will be confirmed by {@code confirmations} frames. */
    void send(ByteBuf command, int confirmations) {
        expects.add(new Expect(confirmations, false));
        if (channel != null && channel.isActive()) {
            channel.writeAndFlush(command, channel.voidPromise());
        } else {
            waiting.add(command);
        }
    }

    void close() {
        closing = true;
        releaseWaiting();
        if (channel != null) {
            channel.close();
        }
    }

    private void releaseWaiting() {
        ByteBuf b;
        while ((b = waiting.poll()) != null) {
            b.release();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        cumulation = Cumulator.append(ctx.alloc(), cumulation, (ByteBuf) msg);
        try {
            int len;
            while (!closing && (len = framer.frame(cumulation)) > 0) {
                ByteBuf frame = cumulation.retainedSlice(cumulation.readerIndex(), len);
                cumulation.skipBytes(len);
                onFrame(frame);
            }
        } catch (RespProtocolException e) {
            ctx.close();
        } finally {
            if (cumulation != null && !cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            }
        }
        owner.flushClient();
    }

    private void onFrame(ByteBuf frame) {
        byte first = frame.getByte(frame.readerIndex());
        Expect head = expects.peek();
        if (head != null && head.swallow) {
            expects.poll();
            if (first == '-') {
                owner.relay(frame); // a refused AUTH: the client sees why
            } else {
                frame.release();
            }
            return;
        }
        if (first == '-') {
            int rest = head == null ? 0 : head.remaining;
            if (head != null) {
                expects.poll();
            }
            owner.relay(frame);
            owner.confirmed(rest);
            return;
        }
        String type = first == '*' ? Frames.type(frame) : null;
        boolean confirmation = type != null && Frames.isConfirmation(type);
        if (confirmation) {
            String ch = Frames.channel(frame);
            if (ch != null) {
                switch (type) {
                    case "subscribe" -> channels.add(ch);
                    case "unsubscribe" -> channels.remove(ch);
                    case "psubscribe" -> patterns.add(ch);
                    case "punsubscribe" -> patterns.remove(ch);
                    case "ssubscribe" -> shards.add(ch);
                    default -> shards.remove(ch);
                }
            }
        }
        owner.relay(frame);
        if (confirmation && head != null) {
            if (--head.remaining <= 0) {
                expects.poll();
            }
            owner.confirmed(1);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        if (!closing) {
            owner.linkLost(this, "connection to " + address + " lost");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public String toString() {
        return "Link(" + address + ")";
    }

    static String text(ByteBuf b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
