package io.undermoon.proxy.migration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of every migration this proxy took part in, for UMCTL STATS and the docs' benchmarks. */
public final class MigrationStats {
    public final LongAdder scannedKeys = new LongAdder();
    public final LongAdder scanSteps = new LongAdder();
    public final LongAdder scanStepsPaced = new LongAdder();
    public final LongAdder scanPauseMicros = new LongAdder();
    /** Pacing windows in which the clients' latency was over migration_latency_target. */
    public final LongAdder scanWindowsOverTarget = new LongAdder();
    /** Pacing windows with clients served and the latency measured, and the latency the copy added in them. */
    public final LongAdder scanClientWindows = new LongAdder();
    public final LongAdder scanAddedLatencyMicros = new LongAdder();
    public final LongAdder destinationUnconfirmed = new LongAdder();
    public final LongAdder movedKeys = new LongAdder();
    public final LongAdder movedBytes = new LongAdder();
    public final LongAdder busyKeys = new LongAdder();
    public final LongAdder umsyncReceived = new LongAdder();
    public final LongAdder umsyncSent = new LongAdder();
    public final LongAdder umsyncRetries = new LongAdder();
    public final LongAdder importSourceReads = new LongAdder();
    public final LongAdder importSourceReadsServed = new LongAdder();
    public final LongAdder importBlindSets = new LongAdder();
    public final LongAdder importBusyKeys = new LongAdder();
    public final LongAdder importPulls = new LongAdder();
    public final LongAdder importPulledKeys = new LongAdder();
    public final LongAdder importedKeysLocal = new LongAdder();
    public final LongAdder heldCommands = new LongAdder();
    public final LongAdder sourceErrors = new LongAdder();
    /** Scans started again because the source Redis restarted (its cursor meant nothing to the new process). */
    public final LongAdder scanRestarts = new LongAdder();
    public final LongAdder blockingTimeouts = new LongAdder();

    public List<String> lines() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("migrating_scanned_keys", scannedKeys.sum());
        m.put("migrating_scan_steps", scanSteps.sum());
        m.put("migrating_scan_steps_paced", scanStepsPaced.sum());
        m.put("migrating_scan_pause_ms", scanPauseMicros.sum() / 1000);
        m.put("migrating_scan_windows_over_latency_target", scanWindowsOverTarget.sum());
        m.put("migrating_scan_windows_with_clients", scanClientWindows.sum());
        m.put("migrating_scan_added_latency_us", scanAddedLatencyMicros.sum());
        m.put("migrating_destination_unconfirmed", destinationUnconfirmed.sum());
        m.put("migrating_moved_keys", movedKeys.sum());
        m.put("migrating_moved_bytes", movedBytes.sum());
        m.put("migrating_busy_keys", busyKeys.sum());
        m.put("migrating_umsync_received", umsyncReceived.sum());
        m.put("migrating_held_commands", heldCommands.sum());
        m.put("migrating_blocking_timeouts", blockingTimeouts.sum());
        m.put("migrating_source_errors", sourceErrors.sum());
        m.put("migrating_scan_restarts", scanRestarts.sum());
        m.put("importing_source_reads", importSourceReads.sum());
        m.put("importing_source_reads_served", importSourceReadsServed.sum());
        m.put("importing_blind_sets", importBlindSets.sum());
        m.put("importing_pulls_busy", importBusyKeys.sum());
        m.put("importing_pulls", importPulls.sum());
        m.put("importing_pulls_moving_keys", importPulledKeys.sum());
        m.put("importing_pulls_without_keys", importedKeysLocal.sum());
        m.put("importing_umsync_sent", umsyncSent.sum());
        m.put("importing_umsync_retries", umsyncRetries.sum());
        List<String> out = new ArrayList<>();
        m.forEach((k, v) -> out.add(k + ": " + v));
        return out;
    }
}
