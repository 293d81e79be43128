package io.undermoon.broker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.undermoon.model.Json;
import java.io.IOException;

/**
 * The broker's strict reading of JSON: like the reference (serde), a number is not a string, a float
 * is not an integer, a string is not a number, and nothing may follow the value. Writing uses the
 * shared {@link Json#mapper()} unchanged.
 */
public final class BrokerJson {
    private static final ObjectMapper STRICT = strict();

    private BrokerJson() {}

    private static ObjectMapper strict() {
        ObjectMapper m = Json.mapper().copy();
        m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        for (CoercionInputShape shape : new CoercionInputShape[] {
                CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
            m.coercionConfigFor(t).setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return m;
    }

    /** Reads a value strictly; any malformed or mistyped input is an {@link IOException}. */
    public static <T> T read(byte[] body, Class<T> type) throws IOException {
        try {
            T value = STRICT.readValue(body, type);
            if (value == null) {
                throw new JsonInvalidException("expected a JSON value of type " + type.getSimpleName() + ", got null");
            }
            return value;
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            // a record constructor's check that Jackson did not wrap
            throw new JsonInvalidException(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    public static ObjectMapper strictMapper() {
        return STRICT;
    }

    /** Compact JSON of a value, with the shared mapper. */
    public static byte[] write(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    /** Input that parsed as JSON but is not a valid value. */
    public static final class JsonInvalidException extends IOException {
        public JsonInvalidException(String message) {
            super(message);
        }
    }
}
