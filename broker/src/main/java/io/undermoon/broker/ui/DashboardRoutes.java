package io.undermoon.broker.ui;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import io.undermoon.broker.BrokerJson;
import io.undermoon.broker.overview.MigrationProgress;
import io.undermoon.broker.overview.Overviews;
import io.undermoon.model.broker.MetaStore;
import java.util.function.Supplier;

/**
 * The read-only web dashboard: static files from the jar ({@code undermoon-ui/} on the class path)
 * under {@code /ui/}, and the one JSON document they read, {@code GET /ui/api/overview}. Plain
 * JavaScript, no build step. Turned off with {@code enable_ui = false}.
 */
public final class DashboardRoutes {
    public static final String PATH = "/ui";
    public static final String OVERVIEW = "/ui/api/overview";

    private final Supplier<MetaStore> store;
    private final long migrationLimit;
    private final MigrationProgress progress;

    public DashboardRoutes(Supplier<MetaStore> store, long migrationLimit, MigrationProgress progress) {
        this.store = store;
        this.migrationLimit = migrationLimit;
        this.progress = progress;
    }

    public void install(JavalinConfig config) {
        config.staticFiles.add(sf -> {
            sf.hostedPath = PATH;
            sf.directory = "/undermoon-ui";
            sf.location = Location.CLASSPATH;
            sf.headers = java.util.Map.of("Cache-Control", "no-cache");
        });
        config.routes.get(OVERVIEW, ctx -> {
            ctx.header("Cache-Control", "no-store");
            ctx.contentType("application/json");
            ctx.result(BrokerJson.write(Overviews.of(store.get(), migrationLimit, progress)));
        });
    }
}
