package io.undermoon.testkit;

import io.undermoon.process.ChildProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium run headless, as a real browser for the dashboard's tests (scripts/test installs
 * the {@code chromium} package when it is missing). Each call starts a fresh browser with its own
 * temporary profile, lets the page run for a budget of virtual time (so its scripts fetch and
 * render), and then either prints the DOM or writes a screenshot; the process is registered with
 * {@link ChildProcesses} and killed if it overruns.
 */
public final class HeadlessChromium {
    private static final List<String> NAMES = List.of("chromium", "chromium-browser");

    private HeadlessChromium() {}

    /** The browser executable on PATH, if any. */
    public static Optional<Path> find() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : NAMES) {
            for (String dir : path.split(":")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** The DOM after {@code budget} of virtual time. */
    public static String dumpDom(String url, Duration budget) throws IOException, InterruptedException {
        return run(List.of("--dump-dom"), url, budget, 1280, 1000);
    }

    /** A PNG screenshot of a {@code width} x {@code height} window after {@code budget} of virtual time. */
    public static void screenshot(String url, Path png, int width, int height, Duration budget)
            throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(List.of("--screenshot=" + png.toAbsolutePath(), "--hide-scrollbars"), url, budget, width, height);
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(List<String> mode, String url, Duration budget, int width, int height)
            throws IOException, InterruptedException {
        Path browser = find().orElseThrow(() -> new IOException(
                "chromium not found on PATH; scripts/test installs it (apt-get install chromium)"));
        Path profile = Files.createTempDirectory("undermoon-chromium-");
        Path stderr = profile.resolve("stderr.txt");
        try {
            List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-extensions", "--user-data-dir=" + profile.resolve("profile"),
                    "--window-size=" + width + "," + height, "--virtual-time-budget=" + budget.toMillis()));
            cmd.addAll(mode);
            cmd.add(url);
            Process p = ChildProcesses.register(new ProcessBuilder(cmd).redirectError(stderr.toFile()).start());
            byte[] out;
            try {
                out = readWithin(p, budget.plusSeconds(60));
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
            if (p.exitValue() != 0 && out.length == 0) {
                throw new IOException("chromium exited with " + p.exitValue() + ": " + tail(stderr));
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            deleteTree(profile);
        }
    }

    private static byte[] readWithin(Process p, Duration limit) throws IOException, InterruptedException {
        var result = new java.util.concurrent.CompletableFuture<byte[]>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(p.getInputStream().readAllBytes());
            } catch (IOException e) {
                result.completeExceptionally(e);
            }
        });
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException("chromium did not finish within " + limit.toSeconds() + " s");
        }
        try {
            return result.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("reading chromium's output: " + e, e);
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no stderr)";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // a file the browser still holds: the temp dir is cleaned by the OS
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
