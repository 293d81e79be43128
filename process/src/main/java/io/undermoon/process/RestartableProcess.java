package io.undermoon.process;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A real server process a fixture starts, kills with kill -9 and starts again on the same ports and
 * data ({@link RedisProcess}, an {@link EtcdCluster.Member}). Subclasses say how to launch it and
 * how to tell that it is serving again.
 */
public abstract class RestartableProcess {
    /** The running process (null before the first launch). */
    protected volatile Process process;

    /** Starts the process (registered with {@link ChildProcesses}). */
    protected abstract void launch() throws IOException;

    /** Waits until a restarted process serves; the default: {@link #launch()} already waited. */
    protected void awaitServing() {
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The process id while it runs, or -1. */
    public long pid() {
        Process p = process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** kill -9, waiting until the process is gone. */
    public void kill() {
        ChildProcesses.killAndWait(process);
    }

    /** kill -9 (if running), then starts it again with the same ports, arguments and data. */
    public void restart() {
        kill();
        try {
            launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitServing();
    }
}
