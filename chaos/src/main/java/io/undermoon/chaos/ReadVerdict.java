package io.undermoon.chaos;

import java.util.List;

/** What one read of a checked key tells about the writes before it (see {@link KeyLedger}). */
sealed interface ReadVerdict {

    /** The read returned the state of the last acknowledged write. */
    record Expected() implements ReadVerdict {}

    /** The read returned the effect of a write whose outcome was in doubt: it happened. */
    record InDoubtApplied() implements ReadVerdict {}

    /**
     * The read returned an older state of the key: the acknowledged writes after that state are
     * gone ({@code writes}, oldest first); {@code resurrected} is true when the newest of them was
     * a delete (a deleted key came back).
     */
    record Lost(List<LostWrite> writes, boolean resurrected) implements ReadVerdict {
        public Lost {
            writes = List.copyOf(writes);
            if (writes.isEmpty()) {
                throw new IllegalArgumentException("a loss loses at least one write");
            }
        }
    }

    /**
     * A lost write: when it was sent and when its acknowledgement arrived (run clock). A write in
     * doubt that a read later showed counts as acknowledged at that read.
     */
    record LostWrite(long issuedMillis, long ackMillis) {}

    /**
     * The read returned an older state that a write in doubt had produced: either that write was
     * executed late (after later acknowledged writes) or the later writes were lost. Not counted
     * as lost, reported on its own.
     */
    record Ambiguous(String what) implements ReadVerdict {}

    /** The read returned a value that was never written to this key. */
    record Wrong(String what) implements ReadVerdict {}
}
