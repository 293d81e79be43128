package io.undermoon.coordinator.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProxyClientPoolTest {

    /** Connections that answer with {@code reply} (or fail when {@code broken}) and record their life. */
    private static final class Connections implements ProxyConnection.Connector {
        final List<FakeConnection> opened = new ArrayList<>();
        volatile RespReply reply = new RespReply.Simple("PONG");
        volatile boolean refuse;
        volatile CountDownLatch block;

        @Override
        public synchronized ProxyConnection connect(String address) throws IOException {
            if (refuse) {
                throw new IOException("connection refused");
            }
            FakeConnection c = new FakeConnection(this);
            opened.add(c);
            return c;
        }

        synchronized long openCount() {
            return opened.stream().filter(FakeConnection::isOpen).count();
        }
    }

    private static final class FakeConnection implements ProxyConnection {
        private final Connections owner;
        volatile boolean open = true;
        volatile boolean broken;
        volatile boolean hung;
        int commands;

        FakeConnection(Connections owner) {
            this.owner = owner;
        }

        @Override
        public RespReply command(List<String> args) throws IOException {
            commands++;
            if (!open || broken) {
                open = false;
                throw new IOException("connection reset");
            }
            if (hung) {
                throw new java.net.SocketTimeoutException("command timed out after 2000 ms");
            }
            CountDownLatch b = owner.block;
            if (b != null) {
                try {
                    b.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            return owner.reply;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private static final List<String> PING = List.of("PING");

    @Test
    void reusesOneConnectionForSequentialCommands() throws IOException {
        Connections conns = new Connections();
        ProxyClientPool pool = new ProxyClientPool(conns, 2, false);
        for (int i = 0; i < 5; i++) {
            assertThat(pool.send("p:1", PING)).isEqualTo(new RespReply.Simple("PONG"));
        }
        assertThat(conns.opened).hasSize(1);
        assertThat(pool.idleCount("p:1")).isEqualTo(1);
    }

    @Test
    void keepsAtMostCapacityIdleConnectionsPerAddress() throws Exception {
        Connections conns = new Connections();
        ProxyClientPool pool = new ProxyClientPool(conns, 2, false);
        conns.block = new CountDownLatch(1);
        ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<RespReply>> fs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                fs.add(ex.submit(() -> pool.send("p:1", PING)));
            }
            org.awaitility.Awaitility.await().until(() -> conns.opened.size() == 4);
            conns.block.countDown();
            for (Future<RespReply> f : fs) {
                f.get();
            }
        } finally {
            ex.shutdownNow();
        }
        assertThat(pool.idleCount("p:1")).isEqualTo(2);
        assertThat(conns.openCount()).isEqualTo(2);
    }

    @Test
    void notMyMetaClosesTheConnectionInsteadOfReusingIt() throws IOException {
        Connections conns = new Connections();
        ProxyClientPool pool = new ProxyClientPool(conns, 2, false);
        conns.reply = new RespReply.Error("ERR_NOT_MY_META");
        assertThat(pool.send("p:1", PING)).isEqualTo(new RespReply.Error("ERR_NOT_MY_META"));
        assertThat(conns.opened.get(0).isOpen()).isFalse();
        assertThat(pool.idleCount("p:1")).isZero();
        conns.reply = new RespReply.Simple("OK");
        pool.send("p:1", PING);
        assertThat(conns.opened).hasSize(2);
    }

    @Test
    void otherErrorRepliesKeepTheConnection() throws IOException {
        Connections conns = new Connections();
        ProxyClientPool pool = new ProxyClientPool(conns, 2, false);
        conns.reply = new RespReply.Error("OLD_EPOCH");
        pool.send("p:1", PING);
        pool.send("p:1", PING);
        assertThat(conns.opened).hasSize(1);
    }

    @Test
    void aBrokenConnectionIsClosedAndTheErrorReported() throws IOException {
        Connections conns = new Connections();
        ProxyClientPool pool = new ProxyClientPool(conns, 2, false);
        pool.send("p:1", PING);
        conns.opened.get(0).broken = true;
        assertThatThrownBy(() -> pool.send("p:1", PING)).isInstanceOf(IOException.class).hasMessageContaining("reset");
        assertThat(pool.idleCount("p:1")).isZero();
        pool.send("p:1", PING);
        assertThat(conns.opened).hasSize(2);
    }

    @Test
    void retryStaleSendsOnceMoreOnAFreshConnection() throws IOException {
        Connections conns = new Connections();
        ProxyClientPool pool = new ProxyClientPool(conns, 2, true);
        pool.send("p:1", PING);
        conns.opened.get(0).broken = true; // the proxy restarted meanwhile
        assertThat(pool.send("p:1", PING)).isEqualTo(new RespReply.Simple("PONG"));
        assertThat(conns.opened).hasSize(2);
    }

    @Test
    void retryStaleDoesNotRetryATimeoutAHungProxyWouldCostTwice() throws IOException {
        Connections conns = new Connections();
        ProxyClientPool pool = new ProxyClientPool(conns, 2, true);
        pool.send("p:1", PING);
        conns.opened.get(0).hung = true; // the proxy's host hangs: the pooled connection times out
        assertThatThrownBy(() -> pool.send("p:1", PING)).isInstanceOf(java.net.SocketTimeoutException.class);
        assertThat(conns.opened).hasSize(1);
    }

    @Test
    void retryStaleDoesNotRetryAFreshConnection() {
        Connections conns = new Connections();
        ProxyClientPool pool = new ProxyClientPool(conns, 2, true);
        conns.refuse = true;
        assertThatThrownBy(() -> pool.send("p:1", PING)).hasMessageContaining("refused");
        assertThat(conns.opened).isEmpty();
    }

    @Test
    void retainOnlyClosesConnectionsOfOtherAddresses() throws IOException {
        Connections conns = new Connections();
        ProxyClientPool pool = new ProxyClientPool(conns, 2, false);
        pool.send("p:1", PING);
        pool.send("p:2", PING);
        pool.retainOnly(Set.of("p:2"));
        assertThat(pool.idleCount("p:1")).isZero();
        assertThat(pool.idleCount("p:2")).isEqualTo(1);
        assertThat(conns.openCount()).isEqualTo(1);
    }

    @Test
    void closeClosesEverythingAndRefusesCommands() throws IOException {
        Connections conns = new Connections();
        ProxyClientPool pool = new ProxyClientPool(conns, 2, false);
        pool.send("p:1", PING);
        pool.close();
        assertThat(conns.openCount()).isZero();
        assertThatThrownBy(() -> pool.send("p:1", PING)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }
}
