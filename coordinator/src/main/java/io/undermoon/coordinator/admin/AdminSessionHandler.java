package io.undermoon.coordinator.admin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.undermoon.resp.Request;
import io.undermoon.resp.RequestDecoder;
import io.undermoon.resp.RespLimits;
import io.undermoon.resp.RespProtocolException;
import io.undermoon.resp.client.RespReply;
import io.undermoon.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One admin connection: decodes requests (RESP arrays or inline commands, pipelined), answers each
 * in order and flushes once per read. A protocol error gets {@code -ERR Protocol error: ...} and
 * closes the connection; so does an idle timeout. Every command is quick and never blocks, so it
 * runs on the event loop.
 */
final class AdminSessionHandler extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(AdminSessionHandler.class);
    /** Admin commands are short: 1024 arguments, 1 MiB each, 64 KiB inline. */
    static final RespLimits LIMITS = new RespLimits(1024, 1 << 20, 64 << 10, 8);

    private final RequestDecoder<Request> decoder = new RequestDecoder<>(LIMITS, Request::new);
    private final AdminCommands commands;
    private final AdminSessions sessions;
    private AdminSessions.Session session;
    private boolean broken;

    AdminSessionHandler(AdminCommands commands, AdminSessions sessions) {
        this.commands = commands;
        this.sessions = sessions;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        session = sessions.open(String.valueOf(ctx.channel().remoteAddress()));
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closeSession();
        super.channelInactive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        closeSession();
    }

    private void closeSession() {
        if (session != null) {
            session.close();
            session = null;
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (!broken) {
            Request request;
            try {
                request = decoder.decode(in);
            } catch (RespProtocolException e) {
                broken = true;
                in.skipBytes(in.readableBytes());
                ByteBuf err = RespWriter.error(ctx.alloc().buffer(), "ERR Protocol error: " + e.getMessage());
                ctx.writeAndFlush(err).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            if (request == null) {
                return;
            }
            List<byte[]> args = new ArrayList<>(request.argc());
            try {
                for (int i = 0; i < request.argc(); i++) {
                    args.add(request.argBytes(i));
                }
            } finally {
                request.release();
            }
            if (session != null) {
                session.countCommand();
            }
            RespReply reply = commands.execute(args);
            ctx.write(RespWriter.value(ctx.alloc().buffer(), reply));
        }
        in.skipBytes(in.readableBytes());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        ctx.flush();
        super.channelReadComplete(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            LOG.debug("closing idle admin connection {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
