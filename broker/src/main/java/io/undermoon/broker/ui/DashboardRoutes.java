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
    /** Where the store lives: {@code {"type", "endpoints", "prefix", "revision"}} (the last three for etcd only). */
    public static final String STORE = "/ui/api/store";

    private final Supplier<MetaStore> store;
    private final long migrationLimit;
    private final MigrationProgress progress;
    private final Supplier<java.util.Map<String, Object>> storeInfo;

    public DashboardRoutes(Supplier<MetaStore> store, long migrationLimit, MigrationProgress progress) {
        this(store, migrationLimit, progress, () -> java.util.Map.of("type", "memory"));
    }

    /** @param storeInfo what {@link #STORE} answers */
    public DashboardRoutes(Supplier<MetaStore> store, long migrationLimit, MigrationProgress progress,
                           Supplier<java.util.Map<String, Object>> storeInfo) {
        this.store = store;
        this.migrationLimit = migrationLimit;
        this.progress = progress;
        this.storeInfo = storeInfo;
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
        config.routes.get(STORE, ctx -> {
            ctx.header("Cache-Control", "no-store");
            ctx.contentType("application/json");
            ctx.result(BrokerJson.write(storeInfo.get()));
        });
    }
}
