package io.undermoon.resp;

import java.io.IOException;

/**
 * The byte stream is not valid RESP or exceeds a limit ({@link RespLimits}), whichever side
 * decodes it: a server's request decoder (reply {@code -ERR Protocol error: <message>} to the
 * client and close) or a client reading replies (the connection is closed). The stream cannot be
 * resynchronised. It is an {@link IOException} because for a client it is one: the connection
 * failed. It carries no stack trace (a hostile peer decides how often it is thrown).
 */
public final class RespProtocolException extends IOException {
    public RespProtocolException(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
