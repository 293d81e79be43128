package io.undermoon.coordinator.loop;

import java.util.List;

/**
 * One complete pass of a coordinator loop. It returns the problems it met (each with the key of
 * what it concerns, e.g. a proxy address) instead of logging them, so that the loop can log each
 * problem once rather than every round. Every call a round makes is bounded by a timeout, so a
 * round always ends.
 */
@FunctionalInterface
public interface Round {
    List<RoundError> run() throws InterruptedException;
}
