package io.undermoon.proxy.meta;

import io.undermoon.model.Addresses;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.SlotRange;
import io.undermoon.proxy.ProxyConfig;
import io.undermoon.proxy.route.MigrationLookup;
import io.undermoon.proxy.route.BackendRegistry;
import io.undermoon.proxy.route.RouteTable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster metadata this proxy serves, as set by the coordinator with UMCTL SETCLUSTER. Updates
 * are serialised here (they are rare); the data path reads the published {@link RouteTable} with a
 * single volatile read.
 */
public final class ClusterMetaState {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMetaState.class);

    /**
     * The migration tasks, which follow the metadata: brought in line with every accepted
     * SETCLUSTER ({@link #reconcile}) and started once its routes are published.
     */
    public interface Migrations extends MigrationLookup {
        void reconcile(String clusterName, Map<String, List<SlotRange>> local, ClusterConfig config);

        void startNew();
    }

    /** The outcome of a SETCLUSTER. */
    public enum SetResult { OK, OLD_EPOCH, NOT_MY_META }

    private final ProxyConfig config;
    private final BackendRegistry registry = new BackendRegistry();
    private final List<Consumer<RouteTable>> listeners = new CopyOnWriteArrayList<>();
    private volatile RouteTable table;
    private Migrations migrations;
    private Inputs inputs;

    /** The metadata of the current table, to re-render it when a migration changes state. */
    private record Inputs(long epoch, String clusterName, Map<String, List<SlotRange>> local,
            Map<String, List<SlotRange>> peer, ClusterConfig config) {}

    public ClusterMetaState(ProxyConfig config) {
        this.config = config;
        this.table = RouteTable.empty(config.announceAddress(), config.clusterNodesVersion());
    }

    /** The registry of local Redis addresses (shared with the replication manager). */
    public BackendRegistry registry() {
        return registry;
    }

    public RouteTable table() {
        return table;
    }

    public synchronized void setMigrations(Migrations migrations) {
        this.migrations = migrations;
    }

    /** Rebuilds the table from the current metadata (task states changed what clients see). */
    public synchronized void refresh() {
        if (inputs == null) {
            return;
        }
        table = RouteTable.build(inputs.epoch(), inputs.clusterName(), inputs.config(), inputs.local(), inputs.peer(),
                config.announceAddress(), config.clusterNodesVersion(), registry, lookup());
        for (Consumer<RouteTable> l : listeners) {
            l.accept(table);
        }
    }

    private MigrationLookup lookup() {
        return migrations == null ? MigrationLookup.NONE : migrations;
    }

    /** Called (on the updating thread) after every accepted change. */
    public void addListener(Consumer<RouteTable> listener) {
        listeners.add(listener);
    }

    public synchronized SetResult setCluster(long epoch, boolean force, String clusterName,
            Map<String, List<SlotRange>> local, Map<String, List<SlotRange>> peer, ClusterConfig clusterConfig) {
        String myHost = config.announceHost();
        for (String address : local.keySet()) {
            if (!Addresses.host(address).map(myHost::equals).orElse(false)) {
                LOG.warn("rejecting SETCLUSTER epoch {}: node {} is not on this host ({})", epoch, address, myHost);
                return SetResult.NOT_MY_META;
            }
        }
        RouteTable current = table;
        if (!force && epoch <= current.epoch()) {
            return SetResult.OLD_EPOCH;
        }
        if (migrations != null) {
            migrations.reconcile(clusterName, local, clusterConfig);
        }
        inputs = new Inputs(epoch, clusterName, local, peer, clusterConfig);
        RouteTable next = RouteTable.build(epoch, clusterName, clusterConfig, local, peer, config.announceAddress(),
                config.clusterNodesVersion(), registry, lookup());
        table = next;
        LOG.info("cluster '{}' epoch {} -> {}: {} local backends, {} peers, {} slots covered", clusterName,
                current.epoch(), epoch, next.locals().size(), next.peer().size(), next.coveredSlots());
        for (Consumer<RouteTable> l : listeners) {
            l.accept(next);
        }
        if (migrations != null) {
            migrations.startNew();
        }
        return SetResult.OK;
    }
}
