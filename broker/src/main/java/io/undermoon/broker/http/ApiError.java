package io.undermoon.broker.http;

import io.undermoon.broker.BrokerJson;
import io.undermoon.broker.store.BrokerError;
import io.undermoon.broker.store.BrokerException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON error body: {@code {"error": "<CODE>"}}, with {@code key}, {@code value} and
 * {@code message} for INVALID_CONFIG exactly as the reference. Our own codes (which replace the
 * reference's plain-text framework errors) also carry a human-readable {@code message}.
 */
final class ApiError {
    private static final Set<BrokerError> OURS = EnumSet.of(BrokerError.INVALID_NODE_ADDRESS, BrokerError.INVALID_METADATA,
            BrokerError.INVALID_REQUEST, BrokerError.NOT_FOUND, BrokerError.PAYLOAD_TOO_LARGE,
            BrokerError.UNSUPPORTED_MEDIA_TYPE, BrokerError.INTERNAL_ERROR, BrokerError.REPLICA_NOT_SYNCED);

    private ApiError() {}

    /** Our code for an HTTP status produced by the framework rather than by a handler. */
    static BrokerError codeForStatus(int status) {
        return switch (status) {
            case 404, 405, 501 -> BrokerError.NOT_FOUND;
            case 413 -> BrokerError.PAYLOAD_TOO_LARGE;
            case 415 -> BrokerError.UNSUPPORTED_MEDIA_TYPE;
            // 505: a request line the server cannot read as HTTP/1.x (a raw space in the path): the client's fault
            default -> status >= 400 && status < 500 || status == 505 ? BrokerError.INVALID_REQUEST : BrokerError.INTERNAL_ERROR;
        };
    }

    static byte[] body(BrokerException e) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.error().name());
        if (e.error() == BrokerError.INVALID_CONFIG) {
            for (String k : new String[] {"key", "value", "message"}) {
                if (e.details().containsKey(k)) {
                    body.put(k, e.details().get(k));
                }
            }
        } else if (OURS.contains(e.error()) && e.getMessage() != null) {
            body.put("message", e.getMessage());
        }
        return BrokerJson.write(body);
    }
}
