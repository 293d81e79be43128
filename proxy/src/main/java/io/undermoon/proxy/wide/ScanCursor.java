package io.undermoon.proxy.wide;

/**
 * The proxy's SCAN cursor, an unsigned 64-bit number: bits 0-7 the proxy's index (proxy mode: in
 * the address order of all proxies of the cluster; 0 in cluster mode), bits 8-15 the local master's
 * index at that proxy (address order), bits 16-27 the low 12 bits of the cluster epoch the scan
 * started in, bits 28-63 that Redis's own cursor. Cursor 0 starts and ends a scan, as in Redis.
 */
final class ScanCursor {
    /** Redis cursors from 2^35 on would not fit (the proxy's cursor stays a positive signed long). */
    static final long REDIS_LIMIT = 1L << 35;
    static final int MAX_NODES = 256;

    private ScanCursor() {}

    static long encode(int proxy, int backend, long epoch, long redisCursor) {
        return (redisCursor << 28) | ((epoch & 0xFFF) << 16) | ((long) backend << 8) | proxy;
    }

    static int proxy(long cursor) {
        return (int) (cursor & 0xFF);
    }

    static int backend(long cursor) {
        return (int) ((cursor >>> 8) & 0xFF);
    }

    static long redisCursor(long cursor) {
        return cursor >>> 28;
    }

    /** True when a non-zero cursor was made under another epoch (the topology changed). */
    static boolean staleEpoch(long cursor, long epoch) {
        return cursor != 0 && ((cursor >>> 16) & 0xFFF) != (epoch & 0xFFF);
    }

    /** The cursor text as a client sent it, or -1 when it is not an unsigned 64-bit number. */
    static long parse(String text) {
        try {
            long v = Long.parseUnsignedLong(text);
            return v < 0 ? -1 : v;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
