package io.undermoon.proxy.reply;

/**
 * The stage timestamps ({@code System.nanoTime()}) of one command sampled for the slow log; only
 * sampled commands have one, so an unsampled command pays one null check per stage. The first time
 * a stage is reached counts (a command held during a migration switch is routed twice). Used on
 * the command's event loop only.
 */
public final class SlowTrace {
    public static final int SENT_TO_MIGRATION_BACKEND = 0;
    public static final int SENT_TO_CLUSTER = 1;
    public static final int SENT_TO_QUEUE = 2;
    public static final int QUEUE_RECEIVED = 3;
    public static final int SENT_TO_BACKEND = 4;
    public static final int RECEIVED_FROM_BACKEND = 5;

    private final long created;
    private final String text;
    private final long[] at = new long[6];

    public SlowTrace(long created, String text) {
        this.created = created;
        this.text = text;
    }

    public void mark(int stage) {
        mark(stage, System.nanoTime());
    }

    public void mark(int stage, long now) {
        if (at[stage] == 0) {
            at[stage] = now;
        }
    }

    /** The reply arrived; counts as "received from backend" only when the command went to a backend. */
    public void replied() {
        if (at[SENT_TO_QUEUE] != 0) {
            mark(RECEIVED_FROM_BACKEND);
        }
    }

    public long created() {
        return created;
    }

    public String text() {
        return text;
    }

    /** Nanoseconds from creation to the stage, 0 when the stage did not happen. */
    public long relative(int stage) {
        return at[stage] == 0 ? 0 : Math.max(1, at[stage] - created);
    }
}
