package io.undermoon.chaos;

import java.util.Set;

/**
 * A kill that takes Redis nodes away from their proxy for good (a proxy kill or a machine failure:
 * the broker fails the proxy over and promotes the replicas). {@code nodes} are the proxy's Redis;
 * those of them that were masters lose what they had not replicated.
 */
record KillEvent(long atMillis, FaultKind kind, String proxy, Set<String> nodes) {
    KillEvent {
        nodes = Set.copyOf(nodes);
    }
}
