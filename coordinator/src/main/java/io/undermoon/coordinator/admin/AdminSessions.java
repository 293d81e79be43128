package io.undermoon.coordinator.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** The open admin connections, for {@code UMCTL DEBUG FUTURE}. */
public final class AdminSessions {
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Session> open = new ConcurrentSkipListMap<>();

    /** One admin connection. */
    public final class Session {
        private final long id;
        private final String peer;
        private final long openedNanos = System.nanoTime();
        private final AtomicLong commands = new AtomicLong();

        private Session(long id, String peer) {
            this.id = id;
            this.peer = peer;
        }

        void countCommand() {
            commands.incrementAndGet();
        }

        void close() {
            open.remove(id);
        }

        String describe() {
            return "session " + id + " peer=" + peer + " age_ms=" + (System.nanoTime() - openedNanos) / 1_000_000
                    + " commands=" + commands.get();
        }
    }

    Session open(String peer) {
        long id = ids.incrementAndGet();
        Session s = new Session(id, peer);
        open.put(id, s);
        return s;
    }

    public int size() {
        return open.size();
    }

    public List<String> describe() {
        List<String> out = new ArrayList<>();
        for (Session s : open.values()) {
            out.add(s.describe());
        }
        return out;
    }
}
