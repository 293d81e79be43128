package io.undermoon.coordinator.loop;

/** Told by a {@link RoundLoop} of each completed round, on the loop's thread (metrics). */
@FunctionalInterface
public interface RoundListener {
    RoundListener NONE = (loop, nanos, problems) -> { };

    /** A round of {@code loop} took {@code nanos} and met {@code problems} problems. */
    void roundDone(String loop, long nanos, int problems);
}
