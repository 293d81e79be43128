package io.undermoon.local;

import java.util.ServiceLoader;

/**
 * The entry point of the undermoon launcher, through which a local system starts its programs as
 * child JVMs ({@code <main> proxy|broker|coordinator}). The module that has the launcher (cli)
 * declares its implementation in {@code META-INF/services/io.undermoon.local.ProgramEntry}, so the
 * main class is a compiled reference there, not a name the build cannot check.
 */
public interface ProgramEntry {

    /** The class whose {@code main(String[])} takes the program name as its first argument. */
    Class<?> mainClass();

    /** The entry point declared on the class path; fails with what to add when there is none. */
    static ProgramEntry declared() {
        return ServiceLoader.load(ProgramEntry.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no undermoon launcher on the class path: a local system needs undermoon-cli, which declares "
                        + ProgramEntry.class.getName() + " in META-INF/services"));
    }
}
