package io.undermoon.proxy.route;

import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.proxy.migration.MigrationState;
import io.undermoon.proxy.migration.MigrationTaskHandle;

/** What the route table needs to know about the running migration tasks. */
public interface MigrationLookup {
    /** The task of a local MIGRATING or IMPORTING range, or null. */
    MigrationTaskHandle task(String clusterName, SlotRange range);

    /** The state of the local task whose range list is exactly {@code ranges}, or null. */
    MigrationState localState(RangeList ranges);

    MigrationLookup NONE = new MigrationLookup() {
        @Override
        public MigrationTaskHandle task(String clusterName, SlotRange range) {
            return null;
        }

        @Override
        public MigrationState localState(RangeList ranges) {
            return null;
        }
    };
}
