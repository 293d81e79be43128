package io.undermoon.proxy.migration;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key locks between the scan thread and the UMSYNC worker of one migrating task, so that a key
 * is never moved by both at once. Held only for the few round trips of one batch.
 */
final class KeyLocks {
    private final Set<ByteBuffer> held = ConcurrentHashMap.newKeySet();

    /** Locks the keys that are free and returns them; keys held by the other side are skipped. */
    List<byte[]> tryLockAll(List<byte[]> keys) {
        List<byte[]> locked = new ArrayList<>(keys.size());
        for (byte[] k : keys) {
            if (held.add(ByteBuffer.wrap(k))) {
                locked.add(k);
            }
        }
        return locked;
    }

    /** Locks every key, waiting (briefly, by polling) for keys the other side holds. */
    void lockAll(List<byte[]> keys) throws InterruptedException {
        for (byte[] k : keys) {
            ByteBuffer b = ByteBuffer.wrap(k);
            while (!held.add(b)) {
                Thread.sleep(0, 100_000);
            }
        }
    }

    void unlockAll(List<byte[]> keys) {
        for (byte[] k : keys) {
            held.remove(ByteBuffer.wrap(k));
        }
    }
}
