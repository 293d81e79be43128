package io.undermoon.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.proxy.backend.LoopResources;
import io.undermoon.proxy.local.LocalCommands;
import io.undermoon.proxy.meta.ReplicationState;
import io.undermoon.proxy.meta.UmctlCommands;
import io.undermoon.proxy.migration.MigrationManager;
import io.undermoon.proxy.route.CommandRouter;
import io.undermoon.proxy.session.ClientSession;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The proxy's front end put together as {@link ServerProxy} does (context, migrations, UMCTL, local
 * commands, router), with each client connection an {@link EmbeddedChannel} running a real
 * {@link ClientSession}: for tests of what the proxy answers itself or redirects, where no backend
 * Redis is involved. Input goes in as bytes, replies come out as RESP text.
 */
public final class EmbeddedProxy {
    public final ProxyConfig config;
    public final ProxyContext context;
    public final CommandRouter router;

    public EmbeddedProxy(Map<String, Object> overrides) {
        Map<String, Object> values = new HashMap<>(Map.of("address", "127.0.0.1:6000"));
        values.putAll(overrides);
        try {
            this.config = ProxyConfig.load(ConfigSource.of(values));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e);
        }
        this.context = new ProxyContext(config, new ReplicationState(args -> {
        }), () -> {
        });
        MigrationManager migrations = new MigrationManager(config.password(), context.meta()::refresh, context.meta()::table);
        context.meta().setMigrations(migrations);
        LocalCommands local = new LocalCommands(context, new UmctlCommands(context, migrations));
        this.router = new CommandRouter(context, local, migrations.stats());
    }

    public EmbeddedProxy() {
        this(Map.of());
    }

    /** A new client connection (its channel is active, its session waits for input). */
    public EmbeddedChannel connect() {
        return new EmbeddedChannel(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                LoopResources loop = new LoopResources(ch.eventLoop(), NioSocketChannel.class, 1, 1000);
                ch.pipeline().addLast(new ClientSession(context, loop, router));
            }
        });
    }

    /** Writes {@code input}, runs the loop's tasks (the flush at the end of the iteration) and returns the replies. */
    public static String send(EmbeddedChannel ch, String input) {
        return send(ch, input.getBytes(StandardCharsets.UTF_8));
    }

    public static String send(EmbeddedChannel ch, byte[] input) {
        ch.writeInbound(Unpooled.wrappedBuffer(input));
        return replies(ch);
    }

    /** Everything written to the client so far, after running the loop's pending tasks. */
    public static String replies(EmbeddedChannel ch) {
        ch.runPendingTasks();
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            try {
                out.append(b.toString(StandardCharsets.UTF_8));
            } finally {
                b.release();
            }
        }
        return out.toString();
    }

    /** A command as a RESP array of bulk strings. */
    public static String resp(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** Gives every slot to a peer proxy (no local Redis), at {@code epoch}. */
    public void allSlotsOnPeer(EmbeddedChannel ch, long epoch, String peer) {
        assertThat(send(ch, resp("UMCTL", "SETCLUSTER", "v2", Long.toString(epoch), "NOFLAG", "mycluster", "PEER", peer, "1",
                "0-16383"))).isEqualTo("+OK\r\n");
    }

    /** Closes the channel and checks that nothing was left over, inbound or outbound (as Netty's codec tests do). */
    public static void finish(EmbeddedChannel ch) {
        assertThat(ch.finish()).as("messages left in the channel").isFalse();
    }
}
