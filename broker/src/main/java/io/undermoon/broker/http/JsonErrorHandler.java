package io.undermoon.broker.http;

import io.undermoon.broker.store.BrokerException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages as our JSON error body ({@link ApiError}), for the requests Jetty answers
 * itself before Javalin sees them: a malformed request line or header, an invalid or ambiguous path
 * encoding, a URI or headers too large, an unknown method. The status stays Jetty's; the code is
 * the one {@link ApiError#codeForStatus} gives (INVALID_REQUEST for a bad request).
 */
final class JsonErrorHandler extends ErrorHandler {

    /** Jetty writes an error body only for GET, POST and HEAD; ours answers every method. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        byte[] body = body(code, message);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    private static byte[] body(int status, String reason) {
        String text = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        return ApiError.body(new BrokerException(ApiError.codeForStatus(status), "HTTP " + status + ": " + text));
    }
}
