package io.undermoon.coordinator.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's admin API: a small RESP server (Netty, NIO) answering {@link AdminCommands}.
 * The listen host is resolved and its first address bound, as in the reference.
 */
public final class AdminServer implements AutoCloseable {
    private final MultiThreadIoEventLoopGroup boss;
    private final MultiThreadIoEventLoopGroup workers;
    private final Channel channel;

    private AdminServer(MultiThreadIoEventLoopGroup boss, MultiThreadIoEventLoopGroup workers, Channel channel) {
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and serves until {@link #close()}.
     *
     * @param sessionTimeout an idle connection is closed after this long; zero keeps it
     * @throws java.io.IOException when the host does not resolve or the address cannot be bound
     */
    public static AdminServer start(String host, int port, int threads, Duration sessionTimeout, AdminCommands commands,
            AdminSessions sessions) throws java.io.IOException {
        InetAddress ip;
        try {
            ip = InetAddress.getAllByName(host)[0];
        } catch (UnknownHostException e) {
            throw new java.io.IOException("cannot resolve admin address host '" + host + "'", e);
        }
        MultiThreadIoEventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        MultiThreadIoEventLoopGroup workers = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        long idleMillis = sessionTimeout.toMillis();
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (idleMillis > 0) {
                            ch.pipeline().addLast(new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast(new AdminSessionHandler(commands, sessions));
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(ip, port)).sync().channel();
            return new AdminServer(boss, workers, ch);
        } catch (Exception e) {
            shutdown(boss, workers);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new java.io.IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        shutdown(boss, workers);
    }

    private static void shutdown(MultiThreadIoEventLoopGroup boss, MultiThreadIoEventLoopGroup workers) {
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        boss.terminationFuture().syncUninterruptibly();
        workers.terminationFuture().syncUninterruptibly();
    }
}
