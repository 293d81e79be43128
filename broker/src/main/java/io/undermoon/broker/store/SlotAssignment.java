package io.undermoon.broker.store;

import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.broker.ChunkStore;
import java.util.ArrayList;
import java.util.List;

/**
 * Slots of a new cluster (spec §4.4): master {@code i = chunk*2 + part} gets a contiguous range of
 * {@code avg + (i < rem ? 1 : 0)} slots right after the previous master's, starting at 0.
 */
final class SlotAssignment {
    private SlotAssignment() {}

    /** The most masters a cluster can have: one slot each. */
    static final int MAX_MASTERS = SlotHash.SLOT_NUM;

    static List<ChunkStore> assign(List<ChunkStore> chunks) {
        int masters = chunks.size() * ChunkStore.PARTS;
        if (masters == 0 || masters > MAX_MASTERS) {
            throw new IllegalArgumentException("cannot spread " + SlotHash.SLOT_NUM + " slots over " + masters + " masters");
        }
        int avg = SlotHash.SLOT_NUM / masters;
        int rem = SlotHash.SLOT_NUM - avg * masters;
        List<ChunkStore> out = new ArrayList<>(chunks.size());
        int next = 0;
        for (int c = 0; c < chunks.size(); c++) {
            ChunkStore chunk = chunks.get(c);
            for (int part = 0; part < ChunkStore.PARTS; part++) {
                int i = c * ChunkStore.PARTS + part;
                int size = avg + (i < rem ? 1 : 0);
                chunk = chunk.withStable(part, SlotRange.stable(next, next + size - 1));
                next += size;
            }
            out.add(chunk);
        }
        return out;
    }
}
