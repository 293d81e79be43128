package io.undermoon.proxy.transaction;

import static io.undermoon.proxy.EmbeddedProxy.finish;
import static io.undermoon.proxy.EmbeddedProxy.resp;
import static io.undermoon.proxy.EmbeddedProxy.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.embedded.EmbeddedChannel;
import io.undermoon.model.SlotHash;
import io.undermoon.model.config.ConfigException;
import io.undermoon.model.config.ConfigSource;
import io.undermoon.proxy.EmbeddedProxy;
import io.undermoon.proxy.ProxyConfig;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transaction state machine before any backend is involved (every slot on a peer, cluster
 * mode): MULTI/EXEC/DISCARD without and within MULTI, errors while queueing, the queue bound, and
 * that a session leaves the state after EXEC and DISCARD.
 */
class TransactionStateTest {
    private static final String PEER = "127.0.0.1:7001";
    private static final String EXECABORT = "-EXECABORT Transaction discarded because of previous errors.\r\n";
    private final EmbeddedProxy proxy = new EmbeddedProxy(Map.of("max_transaction_commands", 3));
    private final EmbeddedChannel ch = proxy.connect();

    @AfterEach
    void noLeftovers() {
        finish(ch);
    }

    @Test
    void outsideMultiExecAndDiscardAreErrorsAndUnwatchIsOk() {
        assertThat(send(ch, resp("EXEC") + resp("DISCARD") + resp("UNWATCH")))
                .isEqualTo("-ERR EXEC without MULTI\r\n-ERR DISCARD without MULTI\r\n+OK\r\n");
    }

    @Test
    void keylessCommandsQueueAndAnEmptyOrDiscardedTransactionNeedsNoBackend() {
        proxy.allSlotsOnPeer(ch, 1, PEER);
        assertThat(send(ch, resp("MULTI") + resp("EXEC"))).isEqualTo("+OK\r\n*0\r\n");
        assertThat(send(ch, resp("MULTI") + resp("PING") + resp("MULTI") + resp("WATCH", "k") + resp("DISCARD")))
                .isEqualTo("+OK\r\n+QUEUED\r\n-ERR MULTI calls can not be nested\r\n-ERR WATCH inside MULTI is not allowed\r\n+OK\r\n");
        assertThat(send(ch, resp("PING"))).as("out of MULTI again").isEqualTo("+PONG\r\n");
    }

    @Test
    void errorsWhileQueueingAbortTheTransaction() {
        proxy.allSlotsOnPeer(ch, 1, PEER);
        int slot = SlotHash.slot("k");
        assertThat(send(ch, resp("MULTI") + resp("GET", "k") + resp("EXEC")))
                .isEqualTo("+OK\r\n-MOVED " + slot + " " + PEER + "\r\n" + EXECABORT);
        assertThat(send(ch, resp("MULTI") + resp("NOPE") + resp("GET") + resp("CLIENT", "LIST") + resp("MONITOR")
                + resp("SUBSCRIBE", "c") + resp("EXEC"))).isEqualTo("+OK\r\n"
                + "-ERR unknown command 'NOPE', with args beginning with:\r\n"
                + "-ERR wrong number of arguments for 'get' command\r\n"
                + "-ERR CLIENT cannot be queued in a transaction by the undermoon proxy\r\n"
                + "-ERR MONITOR is not supported by the undermoon proxy\r\n"
                + "-ERR SUBSCRIBE inside MULTI is not supported by the undermoon proxy\r\n" + EXECABORT);
    }

    @Test
    void aTransactionRelayedByAPeerIsNeverRelayedAgain() {
        EmbeddedProxy active = new EmbeddedProxy(Map.of("active_redirection", true));
        EmbeddedChannel peerSide = active.connect();
        active.allSlotsOnPeer(peerSide, 1, PEER);
        int slot = SlotHash.slot("k");
        assertThat(send(peerSide, resp("UMPEER") + resp("MULTI") + resp("GET", "k") + resp("EXEC") + resp("SSUBSCRIBE", "k")))
                .isEqualTo("+OK\r\n+OK\r\n-MOVED " + slot + " " + PEER + "\r\n" + EXECABORT
                        + "-MOVED " + slot + " " + PEER + "\r\n");
        finish(peerSide);
    }

    @Test
    void theQueueIsBoundedAndLaterCommandsAreNotKept() {
        proxy.allSlotsOnPeer(ch, 1, PEER);
        String out = send(ch, resp("MULTI") + resp("PING").repeat(5) + resp("EXEC"));
        assertThat(out).isEqualTo("+OK\r\n" + "+QUEUED\r\n".repeat(3)
                + "-ERR transaction too large for the undermoon proxy: at most 3 commands and 67108864 bytes may be"
                + " queued (max_transaction_commands, max_transaction_bytes); EXEC will discard it\r\n"
                + "+QUEUED\r\n" + EXECABORT);
    }

    @Test
    void theNewConfigKeysAreCheckedAndDefaulted() throws ConfigException {
        ProxyConfig defaults = ProxyConfig.load(ConfigSource.of(Map.of()));
        assertThat(defaults.maxTransactionCommands()).isEqualTo(10000);
        assertThat(defaults.maxTransactionBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(defaults.pubsubOutputBufferLimit()).isEqualTo(32L * 1024 * 1024);
        assertThatThrownBy(() -> ProxyConfig.load(ConfigSource.of(Map.of("pubsub_output_buffer_limit", 10))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("pubsub_output_buffer_limit");
        assertThatThrownBy(() -> ProxyConfig.load(ConfigSource.of(Map.of("max_transaction_commands", 0))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("max_transaction_commands");
    }
}
