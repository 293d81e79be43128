package io.undermoon.process;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the root of the checkout (the directory holding the {@code undermoon} launcher). */
public final class Repository {
    private Repository() {}

    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("undermoon"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("not inside an undermoon checkout: " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
