package io.undermoon.resp;

/**
 * Input limits of a decoder. A stream that exceeds one is a protocol error: the peer gets
 * {@code -ERR Protocol error: ...} and the connection is closed, so that no client can make the
 * process allocate without bound.
 *
 * @param maxArrayLength  most elements in one array (requests: arguments per command)
 * @param maxBulkLength   most bytes in one bulk string
 * @param maxInlineLength most bytes in one inline command or one header line (or simple/error/number line)
 * @param maxNesting      deepest nesting of aggregate replies (replies only)
 */
public record RespLimits(int maxArrayLength, long maxBulkLength, int maxInlineLength, int maxNesting) {

    /** Redis's own limits: 1M-element multibulk for unauthenticated clients, 512 MiB bulk, 64 KiB inline. */
    public static final RespLimits DEFAULT = new RespLimits(1024 * 1024, 512L * 1024 * 1024, 64 * 1024, 64);

    /**
     * What a client accepts in a reply ({@code client.RespReplyReader}): 1M elements per array,
     * 64 MiB bulk strings, 64 KiB lines, nesting 16.
     */
    public static final RespLimits REPLIES = new RespLimits(1 << 20, 64L << 20, 64 << 10, 16);
    /** Largest bulk limit: a bulk string and its CRLF must fit in one buffer (at most 2^31-1 bytes). */
    public static final long MAX_BULK_LENGTH = Integer.MAX_VALUE - 16;
    /** Largest array and line limit: offsets computed from it cannot overflow an int. */
    public static final int MAX_LENGTH = 1 << 30;

    public RespLimits {
        if (maxArrayLength < 1 || maxBulkLength < 1 || maxInlineLength < 16 || maxNesting < 1) {
            throw new IllegalArgumentException("RESP limits must be positive (inline at least 16 bytes)");
        }
        if (maxArrayLength > MAX_LENGTH || maxInlineLength > MAX_LENGTH || maxBulkLength > MAX_BULK_LENGTH) {
            throw new IllegalArgumentException("RESP limits too large: arrays and lines at most " + MAX_LENGTH
                    + ", bulk strings at most " + MAX_BULK_LENGTH);
        }
    }
}
