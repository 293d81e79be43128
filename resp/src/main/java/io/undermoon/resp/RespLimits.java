package io.undermoon.resp;

/**
 * Input limits of a decoder. A stream that exceeds one is a protocol error: the peer gets
 * {@code -ERR Protocol error: ...} and the connection is closed, so that no client can make the
 * process allocate without bound.
 *
 * @param maxArrayLength  most elements in one array (requests: arguments per command)
 * @param maxBulkLength   most bytes in one bulk string
 * @param maxInlineLength most bytes in one inline command or one header line
 * @param maxNesting      deepest nesting of aggregate replies (replies only)
 */
public record RespLimits(int maxArrayLength, long maxBulkLength, int maxInlineLength, int maxNesting) {

    /** Redis's own limits: 1M-element multibulk for unauthenticated clients, 512 MiB bulk, 64 KiB inline. */
    public static final RespLimits DEFAULT = new RespLimits(1024 * 1024, 512L * 1024 * 1024, 64 * 1024, 64);

    public RespLimits {
        if (maxArrayLength < 1 || maxBulkLength < 1 || maxInlineLength < 16 || maxNesting < 1) {
            throw new IllegalArgumentException("RESP limits must be positive (inline at least 16 bytes)");
        }
    }
}
