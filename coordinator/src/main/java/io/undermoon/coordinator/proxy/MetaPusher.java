package io.undermoon.coordinator.proxy;

import io.undermoon.model.broker.ProxyView;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a proxy its metadata: {@code UMCTL SETREPL}, then, only if that succeeded,
 * {@code UMCTL SETCLUSTER} (spec §6.4). {@code OLD_EPOCH} counts as success (the proxy is already up
 * to date); {@code ERR_NOT_MY_META} and other error replies are failures.
 */
public final class MetaPusher {
    private static final Logger LOG = LoggerFactory.getLogger(MetaPusher.class);

    private final ProxyClient proxies;
    private final boolean compress;

    public MetaPusher(ProxyClient proxies, boolean compress) {
        this.proxies = proxies;
        this.compress = compress;
    }

    /** Pushes both commands to {@code proxy.address()}. */
    public void push(ProxyView proxy) throws ProxyCommandException {
        send(proxy, ProxyMetaCommands.setRepl(proxy));
        send(proxy, ProxyMetaCommands.setCluster(proxy, compress));
    }

    private void send(ProxyView proxy, List<String> command) throws ProxyCommandException {
        String address = proxy.address();
        String what = command.get(0) + " " + command.get(1) + " (epoch " + proxy.epoch() + ") to proxy " + address;
        RespReply reply;
        try {
            reply = proxies.send(address, command);
        } catch (IOException e) {
            throw new ProxyCommandException(what + " failed: " + e.getMessage(), e);
        }
        switch (MetaReply.of(reply)) {
            case APPLIED -> {
                if (reply instanceof RespReply.Simple s && !s.text().equals("OK")) {
                    LOG.warn("{}: {}", what, s.text());
                }
            }
            case OLD_EPOCH -> { }
            case NOT_MY_META -> throw new ProxyCommandException(what + " rejected with ERR_NOT_MY_META: the proxy at this"
                    + " address does not own these Redis nodes (wrong address mapping?); connection closed");
            case ERROR -> throw new ProxyCommandException(what + " rejected: " + ((RespReply.Error) reply).message());
            default -> throw new IllegalStateException();
        }
    }
}
