package io.undermoon.proxy.migration;

import io.undermoon.model.MigrationMeta;
import io.undermoon.model.RangeList;
import io.undermoon.model.umctl.MigrationTask;

/**
 * The destination side of a migration (Pd). Passive: its state moves only forward, driven by the
 * migrating proxy's PRECHECK / PRESWITCH / FINALSWITCH.
 */
public final class ImportingTask implements MigrationTaskHandle {
    private final MigrationTask identity;
    private final Runnable onChange;
    private volatile MigrationState state = MigrationState.PRE_CHECK;

    ImportingTask(MigrationTask identity, Runnable onChange) {
        this.identity = identity;
        this.onChange = onChange;
    }

    @Override
    public MigrationTask identity() {
        return identity;
    }

    @Override
    public MigrationState state() {
        return state;
    }

    public MigrationMeta meta() {
        return identity.meta();
    }

    public RangeList ranges() {
        return identity.slotRange().rangeList();
    }

    /** Moves forward to {@code next}; a late or repeated switch command changes nothing. */
    synchronized void advanceTo(MigrationState next) {
        if (next.ordinal() > state.ordinal()) {
            state = next;
            onChange.run();
        }
    }

    @Override
    public void stop() {
        // nothing runs in the background on the importing side
    }
}
