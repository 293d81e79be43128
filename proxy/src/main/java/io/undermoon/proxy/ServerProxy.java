package io.undermoon.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.undermoon.model.Addresses;
import io.undermoon.proxy.backend.LoopResources;
import io.undermoon.proxy.migration.MigrationManager;
import io.undermoon.proxy.meta.ReplicationState;
import io.undermoon.proxy.meta.UmctlCommands;
import io.undermoon.proxy.replication.ReplicationManager;
import io.undermoon.proxy.route.LocalBackend;
import io.undermoon.proxy.route.RouteTable;
import io.undermoon.proxy.session.ClientSession;
import io.undermoon.proxy.route.CommandRouter;
import io.undermoon.proxy.local.LocalCommands;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running server proxy: the listening socket, the event loops (each with its own backend
 * connections) and the shared metadata. {@link #start} binds and returns; {@link #close} stops.
 */
public final class ServerProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerProxy.class);

    private final ProxyConfig config;
    private final ProxyContext context;
    private final MultiThreadIoEventLoopGroup bossGroup;
    private final MultiThreadIoEventLoopGroup workerGroup;
    private final Map<EventExecutor, LoopResources> loops = new IdentityHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private Channel serverChannel;

    private final ReplicationManager replication;
    private MigrationManager migrations;
    private ProxyMetrics metrics;

    private ServerProxy(ProxyConfig config) {
        this.config = config;
        ReplicationManager[] manager = new ReplicationManager[1];
        this.context = new ProxyContext(config, new ReplicationState(args -> manager[0].accept(args)), this::close);
        this.replication = new ReplicationManager(context.meta().registry(),
                Duration.ofMillis(config.replicationInterval()), Duration.ofSeconds(1), config.fastFirstSync());
        manager[0] = replication;
        context.replication().setStatusSource(replication::statuses);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory ioFactory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, ioFactory);
        this.workerGroup = new MultiThreadIoEventLoopGroup(config.threadNumber(), ioFactory);
        Class<? extends io.netty.channel.Channel> clientClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        for (EventExecutor e : workerGroup) {
            LoopResources res = new LoopResources((EventLoop) e, clientClass, config.backendConnNum(), config.backendTimeout());
            if (config.backendBatchStrategy().equals("fixed")) {
                res.setFlushPolicy(LoopResources.FlushPolicy.fixed(config.backendFlushSize(), config.backendLowFlushInterval(),
                        config.backendHighFlushInterval()));
            }
            context.stats().register(res.stats());
            config.password().ifPresent(pw -> res.setPeerAuth(io.netty.buffer.Unpooled.unreleasableBuffer(
                    io.undermoon.resp.RespWriter.command(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, "AUTH", pw).asReadOnly())));
            loops.put(e, res);
        }
        context.meta().addListener(this::retireUnusedBackends);
        context.meta().addListener(t -> replication.slotsChanged(t.clusterName(), t.epoch(), t.local().keySet()));
    }

    public static ServerProxy start(ProxyConfig config) throws InterruptedException {
        ServerProxy p = new ServerProxy(config);
        try {
            p.bind();
        } catch (RuntimeException | InterruptedException e) {
            p.close();
            throw e;
        }
        return p;
    }

    private void bind() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        Class<? extends ServerChannel> serverClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        migrations = new MigrationManager(config.password(), context.meta()::refresh, context.meta()::table);
        migrations.setImportGate(replication::flushPending);
        migrations.setLoadSignal(context.stats()::commands);
        migrations.setLatencyTarget(config.migrationLatencyTarget());
        context.meta().setMigrations(migrations);
        UmctlCommands meta = new UmctlCommands(context, migrations);
        LocalCommands local = new LocalCommands(context, meta);
        CommandRouter router = new CommandRouter(context, local, migrations.stats());
        long sessionTimeout = config.sessionTimeout();
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(serverClass)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        LoopResources res = loops.get(ch.eventLoop());
                        if (sessionTimeout > 0) {
                            ch.pipeline().addLast(new IdleStateHandler(sessionTimeout, 0, 0, TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast(new ClientSession(context, res, router));
                    }
                });
        if (!config.metricsAddress().isEmpty()) {
            try {
                metrics = ProxyMetrics.start(config.metricsAddress(), context, migrations.stats());
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot serve metrics on " + config.metricsAddress() + ": " + e.getMessage(), e);
            }
        }
        Addresses.HostPort hp = Addresses.parse(config.address()).orElseThrow();
        serverChannel = b.bind(new InetSocketAddress(hp.host(), hp.port())).sync().channel();
        LOG.info("server proxy listening on {} (announce {}, {} threads, {} transport)", serverChannel.localAddress(),
                config.announceAddress(), config.threadNumber(), epoll ? "epoll" : "nio");
    }

    private void retireUnusedBackends(RouteTable table) {
        Set<Integer> live = new HashSet<>();
        for (LocalBackend b : table.locals()) {
            live.add(b.id());
        }
        Set<String> peers = new HashSet<>(table.peer().keySet());
        String clusterPassword = table.config().password();
        for (LoopResources res : loops.values()) {
            res.eventLoop().execute(() -> {
                res.setClusterPassword(clusterPassword);
                res.retainOnly(live, peers);
            });
        }
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The metrics port, or -1 when metrics are off. */
    public int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    public ProxyContext context() {
        return context;
    }

    public void awaitTermination() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        if (closed.getCount() == 0) {
            return;
        }
        replication.close();
        if (metrics != null) {
            metrics.close();
        }
        if (migrations != null) {
            migrations.stopAll();
        }
        if (serverChannel != null) {
            serverChannel.close();
        }
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        bossGroup.terminationFuture().syncUninterruptibly();
        workerGroup.terminationFuture().syncUninterruptibly();
        closed.countDown();
        LOG.info("server proxy on {} stopped", config.address());
    }
}
