package io.undermoon.resp.client;

import java.io.IOException;

/** The peer sent something that is not a valid RESP2 reply, or one larger than the client's limits. */
public final class RespProtocolException extends IOException {
    public RespProtocolException(String message) {
        super(message);
    }
}
