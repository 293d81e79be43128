package io.undermoon.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script with Debian's /usr/bin/python3 (python3-redis 4.3.4), never the pyenv one on PATH. */
final class SystemPython {
    static final String PYTHON = "/usr/bin/python3";

    private SystemPython() {}

    /** Runs {@code script} with {@code args}; returns stdout, or throws with stderr when it fails or hangs. */
    static String run(String script, String... args) throws IOException, InterruptedException {
        Path file = Files.createTempFile("undermoon-py", ".py");
        try {
            Files.writeString(file, script);
            List<String> cmd = new ArrayList<>(List.of(PYTHON, file.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("python script did not finish within 60 s");
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("python failed (" + p.exitValue() + "): " + err + "\n" + out);
                }
                return out;
            } finally {
                p.destroyForcibly();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
