package io.undermoon.proxy.migration;

import io.undermoon.model.umctl.MigrationTask;

/** A running migration task of either side. */
public sealed interface MigrationTaskHandle permits MigratingTask, ImportingTask {
    MigrationTask identity();

    MigrationState state();

    void stop();
}
