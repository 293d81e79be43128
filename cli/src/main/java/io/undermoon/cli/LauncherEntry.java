package io.undermoon.cli;

import io.undermoon.local.ProgramEntry;

/** Declares {@link Main} as the entry point through which a local system starts its programs. */
public final class LauncherEntry implements ProgramEntry {
    @Override
    public Class<?> mainClass() {
        return Main.class;
    }
}
