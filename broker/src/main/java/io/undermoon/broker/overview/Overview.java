package io.undermoon.broker.overview;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.undermoon.model.Range;
import java.util.List;
import java.util.Map;

/**
 * What an operator wants to see at once, built from one published store: every cluster with its
 * masters, replicas and slot ranges, its migrations and how far they are, every host with its
 * proxies (free, used, failed) and the failure reports. Served as JSON at {@code /ui/api/overview}
 * for the web dashboard and computed the same way by {@code undermoon ctl status}. Read-only.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Overview(
        long globalEpoch,
        List<ClusterOverview> clusters,
        List<HostOverview> hosts,
        List<String> failedProxies,
        Map<String, List<String>> failureReports) {

    /** A cluster: {@code coveredSlots} counts slots with an owner (stable, or migrating away and still served). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ClusterOverview(
            String name,
            long epoch,
            int nodeNumber,
            long coveredSlots,
            List<MasterOverview> masters,
            List<MigrationOverview> migrations,
            long migratingSlots,
            ProgressOverview progress) {}

    /** A master node with its replica and the stable slots it owns. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MasterOverview(
            String node,
            String proxy,
            String host,
            String replicaNode,
            String replicaProxy,
            String replicaHost,
            List<Range> slots,
            long slotCount) {}

    /**
     * A stored migration task. {@code active} is true when the migration limit lets the proxies see
     * it now (the others wait their turn); null when the limit is not known (an overview built
     * outside the broker).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record MigrationOverview(
            List<Range> ranges,
            long slots,
            String srcNode,
            String srcProxy,
            String dstNode,
            String dstProxy,
            long epoch,
            Boolean active) {}

    /** Slots planned, switched and remaining of a running scale (see {@link MigrationProgress}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProgressOverview(long plannedSlots, long switchedSlots, long remainingSlots, long startedAtMillis) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record HostOverview(String host, List<ProxyOverview> proxies) {}

    /** {@code state} is {@code free}, {@code used} or {@code failed}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProxyOverview(String address, String state, String cluster) {}
}
