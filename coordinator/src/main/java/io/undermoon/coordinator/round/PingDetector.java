package io.undermoon.coordinator.round;

import io.undermoon.coordinator.proxy.ProxyClient;
import java.io.IOException;
import java.util.List;

/**
 * Decides whether a proxy is alive (spec §6.3): up to {@code attempts} {@code PING}s, no delay
 * between them. Any reply, an error reply included, means alive. A connect failure, a send or read
 * failure, a timeout or an unreadable reply uses up an attempt; when all are used up the proxy is
 * failed. The timeouts are those of the {@link ProxyClient} (the {@code ping_timeout_ms} key).
 */
public final class PingDetector {
    static final List<String> PING = List.of("PING");

    private final ProxyClient client;
    private final int attempts;

    public PingDetector(ProxyClient client, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.client = client;
        this.attempts = attempts;
    }

    /** Null when the proxy answered; otherwise the last failure, to be reported. */
    public String check(String address) throws InterruptedException {
        String last = null;
        for (int i = 0; i < attempts; i++) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            try {
                client.send(address, PING);
                return null;
            } catch (IOException e) {
                last = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        return last;
    }
}
