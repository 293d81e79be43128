package io.undermoon.coordinator.proxy;

import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.util.Collection;
import java.util.List;

/** Sends commands to server proxies by address, reusing connections. Thread-safe. */
public interface ProxyClient extends AutoCloseable {

    /**
     * Sends one command to the proxy at {@code address} and returns its reply. A Redis error reply is
     * a normal reply; a connect, send or read failure or a timeout is an {@link IOException}.
     */
    RespReply send(String address, List<String> command) throws IOException;

    /** Closes the idle connections to every address not in {@code addresses}. */
    void retainOnly(Collection<String> addresses);

    @Override
    void close();
}
