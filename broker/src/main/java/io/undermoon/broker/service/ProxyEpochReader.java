package io.undermoon.broker.service;

import io.undermoon.resp.client.BlockingRespClient;
import java.io.IOException;
import java.time.Duration;

/** Asks a server proxy for its epoch with {@code UMCTL GETEPOCH}. */
@FunctionalInterface
public interface ProxyEpochReader {

    long epoch(String proxyAddress) throws IOException;

    /** Over RESP with {@link BlockingRespClient}: one connection per call, {@code timeout} for connect and reply. */
    static ProxyEpochReader resp(Duration timeout) {
        return address -> {
            try (BlockingRespClient c = BlockingRespClient.connect(address, timeout)) {
                return c.commandForLong("UMCTL", "GETEPOCH");
            }
        };
    }
}
