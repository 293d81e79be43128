package io.undermoon.proxy.migration;

import io.undermoon.model.umctl.MigrationTask;
import io.undermoon.model.umctl.SwitchArgs;
import io.undermoon.model.umctl.SwitchCommand;
import io.undermoon.resp.client.BlockingRespClient;
import io.undermoon.resp.client.RespReply;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The source's connection to the importing proxy, over which it sends the switch commands
 * (PRECHECK, PRESWITCH, FINALSWITCH) of one task. Connects (and authenticates) on first use and
 * again after an error. Used by the task's thread only.
 */
final class SwitchClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchClient.class);
    static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final MigrationTask identity;
    private final Optional<String> password;
    private BlockingRespClient peer;
    /** The last error logged, so that a retried command logs each new error once. */
    private String lastError;

    SwitchClient(MigrationTask identity, Optional<String> password) {
        this.identity = identity;
        this.password = password;
    }

    /** Sends {@code cmd} once; true when the importing proxy answered OK. */
    boolean send(SwitchCommand cmd) {
        List<String> args = cmd.toCommand(SwitchArgs.of(identity));
        try {
            if (peer == null || !peer.isOpen()) {
                peer = BlockingRespClient.connect(identity.meta().dstProxyAddress(), TIMEOUT);
                if (password.isPresent()) {
                    RespReply auth = peer.command("AUTH", password.get());
                    if (auth instanceof RespReply.Error e) {
                        throw new IOException("AUTH refused by the importing proxy: " + e.message());
                    }
                }
            }
            RespReply reply = peer.command(args.toArray(String[]::new));
            if (reply instanceof RespReply.Error e) {
                logError(cmd + ": " + e.message());
                return false;
            }
            lastError = null;
            return true;
        } catch (IOException e) {
            close();
            logError(cmd + ": " + e.getMessage());
            return false;
        }
    }

    /** The error of the last refused command, or null after an OK. */
    String lastError() {
        return lastError;
    }

    private void logError(String error) {
        if (!error.equals(lastError)) {
            LOG.info("migration {}: {} (retrying)", identity, error);
            lastError = error;
        }
    }

    @Override
    public void close() {
        if (peer != null) {
            peer.close();
            peer = null;
        }
    }
}
