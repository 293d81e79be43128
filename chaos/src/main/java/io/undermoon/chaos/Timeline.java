package io.undermoon.chaos;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The faults and actions of a run, in the order they were recorded. Thread-safe. */
final class Timeline {
    private final List<FaultEvent> events = new ArrayList<>();
    private final List<KillEvent> kills = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<ChaosReport.BrokerLoss> brokerLosses = new ArrayList<>();

    synchronized void add(FaultEvent e) {
        events.add(e);
    }

    synchronized void addKill(KillEvent k) {
        kills.add(k);
    }

    /** Something the harness could not do (a restart that failed, a scale that never finished). */
    synchronized void problem(String p) {
        problems.add(p);
    }

    /** The events in the order they began. */
    synchronized List<FaultEvent> events() {
        List<FaultEvent> sorted = new ArrayList<>(events);
        sorted.sort(java.util.Comparator.comparingLong(FaultEvent::atMillis));
        return List.copyOf(sorted);
    }

    /** A broker loss with the failover of a master proxy timed after it. */
    synchronized void addBrokerLoss(ChaosReport.BrokerLoss b) {
        brokerLosses.add(b);
    }

    synchronized List<ChaosReport.BrokerLoss> brokerLosses() {
        List<ChaosReport.BrokerLoss> sorted = new ArrayList<>(brokerLosses);
        sorted.sort(java.util.Comparator.comparingLong(ChaosReport.BrokerLoss::atMillis));
        return List.copyOf(sorted);
    }

    synchronized List<KillEvent> kills() {
        return List.copyOf(kills);
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** Faults that took effect, by kind (skipped ones excluded). */
    synchronized Map<FaultKind, Integer> injected() {
        Map<FaultKind, Integer> m = new EnumMap<>(FaultKind.class);
        for (FaultEvent e : events) {
            if (!e.outcome().startsWith("skipped")) {
                m.merge(e.kind(), 1, Integer::sum);
            }
        }
        return m;
    }

    /** Actions that were drawn but could not be carried out, by kind. */
    synchronized Map<FaultKind, Integer> skipped() {
        Map<FaultKind, Integer> m = new EnumMap<>(FaultKind.class);
        for (FaultEvent e : events) {
            if (e.outcome().startsWith("skipped")) {
                m.merge(e.kind(), 1, Integer::sum);
            }
        }
        return m;
    }
}
