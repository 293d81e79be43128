package io.undermoon.proxy.migration;

/** What the scan's pacing reads of the clients' latency ({@link LatencyProbe}; tests give their own). */
interface LatencySource {
    /** The high percentile of the latency since the last call, -1 when nothing was measured. */
    long takeHighNanos();

    /** Commands the measurement itself sent to the source Redis (they are not the clients' load). */
    long commandsToFirst();
}
