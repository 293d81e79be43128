package io.undermoon.proxy.migration;

import io.netty.buffer.ByteBuf;
import io.undermoon.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The fixed part of {@code MIGRATE <host> <port> "" 0 <timeout> KEYS <key>...} towards one
 * destination Redis, built once: every move of a migration (the scan, the UMSYNC worker, an
 * importing proxy's pull) is this command on the source Redis.
 */
final class MigrateHead {
    /** How long the source Redis may block on the destination during one MIGRATE (it serves nobody meanwhile). */
    static final long TIMEOUT_MILLIS = 2000;

    private final byte[][] head;
    private final int headSize;

    MigrateHead(String destinationAddress, long timeoutMillis) {
        int colon = destinationAddress.lastIndexOf(':');
        head = new byte[][] {
            ascii("MIGRATE"), ascii(destinationAddress.substring(0, colon)), ascii(destinationAddress.substring(colon + 1)),
            new byte[0], ascii("0"), ascii(Long.toString(timeoutMillis)), ascii("KEYS"),
        };
        int n = 16;
        for (byte[] a : head) {
            n += a.length + 16;
        }
        headSize = n;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The whole command as arguments. */
    byte[][] command(List<byte[]> keys) {
        byte[][] cmd = new byte[head.length + keys.size()][];
        System.arraycopy(head, 0, cmd, 0, head.length);
        for (int i = 0; i < keys.size(); i++) {
            cmd[head.length + i] = keys.get(i);
        }
        return cmd;
    }

    /** Writes the array header for {@code keyCount} keys and the fixed arguments; the keys follow. */
    void writeHead(ByteBuf out, int keyCount) {
        RespWriter.arrayHeader(out, head.length + keyCount);
        for (byte[] a : head) {
            RespWriter.bulk(out, a);
        }
    }

    /** Bytes {@link #writeHead} writes, at most. */
    int headSize() {
        return headSize;
    }
}
