package io.undermoon.proxy.route;

import io.undermoon.proxy.migration.ImportingTask;
import io.undermoon.proxy.migration.MigratingTask;

/** Where the commands of one slot go. */
public sealed interface Route {

    /** Served by a Redis beside this proxy. */
    record Local(LocalBackend backend) implements Route {}

    /** Owned by another proxy: the client gets MOVED. */
    record Peer(String proxyAddress) implements Route {}

    /** Being migrated away from a local Redis; the task decides (serve, hold, or MOVED to the importer). */
    record Migrating(LocalBackend backend, MigratingTask task) implements Route {}

    /** Being migrated to a local Redis; the task decides (MOVED to the source, import on demand, serve). */
    record Importing(LocalBackend backend, ImportingTask task) implements Route {}
}
