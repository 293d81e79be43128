package io.undermoon.coordinator.proxy;

import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** One connection to a server proxy: a command at a time, each bounded by a timeout. */
public interface ProxyConnection extends AutoCloseable {

    /** Sends a command and waits for its reply; a Redis error reply is returned, not thrown. */
    RespReply command(List<String> args) throws IOException;

    boolean isOpen();

    @Override
    void close();

    /** Opens connections to proxies. */
    @FunctionalInterface
    interface Connector {
        ProxyConnection connect(String address) throws IOException;
    }

    /** Real connections: {@link BlockingRespClient} with {@code timeout} for the connect and every command. */
    static Connector resp(Duration timeout) {
        return address -> {
            BlockingRespClient client = BlockingRespClient.connect(address, timeout);
            return new ProxyConnection() {
                @Override
                public RespReply command(List<String> args) throws IOException {
                    return client.command(args.toArray(String[]::new));
                }

                @Override
                public boolean isOpen() {
                    return client.isOpen();
                }

                @Override
                public void close() {
                    client.close();
                }
            };
        };
    }
}
