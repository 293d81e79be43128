package io.undermoon.proxy.route;

/**
 * A Redis instance beside this proxy. {@code id} is unique per address for the life of the process
 * and indexes the per-event-loop connection groups.
 */
public record LocalBackend(String address, int id) {}
