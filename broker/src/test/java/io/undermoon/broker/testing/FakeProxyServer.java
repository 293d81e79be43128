package io.undermoon.broker.testing;

import io.undermoon.resp.client.RespReply;
import io.undermoon.testkit.ScriptedProxy;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What the broker needs of a server proxy: {@code UMCTL GETEPOCH} (the supplier's value) and
 * {@code PING}; anything else gets an error. A script for testkit's {@link ScriptedProxy}.
 */
public final class FakeProxyServer implements AutoCloseable {
    private final AtomicInteger getEpochCalls = new AtomicInteger();
    private final ScriptedProxy proxy;

    public FakeProxyServer(LongSupplier epoch) throws IOException {
        this.proxy = new ScriptedProxy(cmd -> {
            if (cmd.size() == 2 && ScriptedProxy.is(cmd, "UMCTL", "GETEPOCH")) {
                getEpochCalls.incrementAndGet();
                return new RespReply.Int(epoch.getAsLong());
            }
            if (cmd.size() == 1 && cmd.get(0).equalsIgnoreCase("PING")) {
                return new RespReply.Simple("PONG");
            }
            return new RespReply.Error("ERR unknown command");
        }, null);
    }

    public String address() {
        return proxy.address();
    }

    public int getEpochCalls() {
        return getEpochCalls.get();
    }

    @Override
    public void close() throws IOException {
        proxy.close();
    }
}
