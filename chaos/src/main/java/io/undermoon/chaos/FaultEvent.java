package io.undermoon.chaos;

/**
 * One action of the schedule as it happened: when it started (run clock), what, on what, how long
 * it lasted (the downtime of a kill, the time a scale took) and how it ended.
 */
public record FaultEvent(long atMillis, FaultKind kind, String target, long durationMillis, String outcome) {}
