package io.undermoon.proxy.backend;

/**
 * Counters of one event loop. Only the loop's thread writes them (plain fields, no contention
 * between loops); readers sum all loops and may see values a moment old.
 */
public final class LoopStats {
    public long commands;
    public long forwarded;
    public long moved;
}
