package io.undermoon.proxy.migration;

import io.undermoon.model.MigrationMeta;
import io.undermoon.model.RangeList;
import io.undermoon.model.umctl.MigrationTask;

/**
 * The destination side of a migration (Pd). Passive: its state moves only forward, driven by the
 * migrating proxy's PRECHECK / PRESWITCH / FINALSWITCH. A task that replaces one which had already
 * switched (a failover gave the migration a new identity) starts switched, see
 * {@link MigrationManager}.
 */
public final class ImportingTask implements MigrationTaskHandle {
    private final MigrationTask identity;
    private final Runnable onChange;
    private volatile MigrationState state;
    private volatile boolean sourceKnowsTask;
    private final boolean startedFresh;
    private final MigrateHead migrateHead;

    /** @param initial PRE_CHECK, or PRE_SWITCH when this proxy already serves the range */
    ImportingTask(MigrationTask identity, Runnable onChange, MigrationState initial) {
        this.identity = identity;
        this.onChange = onChange;
        this.state = initial;
        this.sourceKnowsTask = initial == MigrationState.PRE_CHECK;
        this.startedFresh = initial == MigrationState.PRE_CHECK;
        this.migrateHead = new MigrateHead(identity.meta().dstNodeAddress(), MigrateHead.TIMEOUT_MILLIS);
    }

    /** The MIGRATE that pulls keys from the source Redis to ours. */
    MigrateHead migrateHead() {
        return migrateHead;
    }

    /**
     * Whether a read may be answered from the source Redis while the key is still there. Only in a
     * task that began from the start: one that replaced a task after a failover may face a promoted
     * source that still holds stale copies of keys already moved here (its replication lagged).
     */
    public boolean mayReadFromSource() {
        return startedFresh;
    }

    /**
     * False for a task that started switched until the migrating proxy sends its first switch
     * command: until then the source may not have this task yet, and its MIGRATION_TASK_NOT_FOUND
     * for a key does not mean the key is not there.
     */
    public boolean sourceKnowsTask() {
        return sourceKnowsTask;
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
        sourceKnowsTask = true;
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
