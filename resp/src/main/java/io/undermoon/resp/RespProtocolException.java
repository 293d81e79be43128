package io.undermoon.resp;

/**
 * The byte stream is not valid RESP or exceeds a limit. The connection cannot be resynchronised:
 * reply {@code -ERR Protocol error: <message>} (to a client) and close it.
 */
public final class RespProtocolException extends Exception {
    public RespProtocolException(String message) {
        super(message, null, false, false);
    }
}
