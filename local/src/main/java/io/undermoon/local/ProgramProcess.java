package io.undermoon.local;

import io.undermoon.process.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One undermoon program (proxy, broker or coordinator) running as a child JVM, configured with
 * UNDERMOON_* environment variables, its output in a log file. {@link #kill()} is kill -9.
 */
public final class ProgramProcess {
    private final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private volatile Process process;

    ProgramProcess(String name, List<String> command, Map<String, String> env, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.log = log;
    }

    /** A child JVM running the launcher's entry point (the runtime's, see {@link LocalCluster.Runtime}) {@code <program>} with the given settings. */
    static ProgramProcess of(String name, LocalCluster.Runtime runtime, String program, Map<String, String> env, Path logDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(runtime.java());
        cmd.addAll(runtime.jvmOptions());
        cmd.add("-cp");
        cmd.add(runtime.classpath());
        cmd.add(runtime.entryPoint());
        cmd.add(program);
        return new ProgramProcess(name, cmd, env, logDir.resolve(name + ".log"));
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    public synchronized void start() {
        if (isAlive()) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().keySet().removeIf(k -> k.toUpperCase().startsWith("UNDERMOON_"));
        pb.environment().putAll(env);
        try {
            process = ChildProcesses.register(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** kill -9, and waits until the process is gone. */
    public synchronized void kill() {
        ChildProcesses.killAndWait(process);
    }

    /** SIGTERM, waiting up to 10 s before kill -9. */
    public synchronized void stop() {
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
