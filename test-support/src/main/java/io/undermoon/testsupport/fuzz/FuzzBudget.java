package io.undermoon.testsupport.fuzz;

/**
 * How many inputs a fuzz test generates outside jqwik's tries (which {@code -Djqwik.tries.default}
 * sets): {@code -Dundermoon.fuzz.tries}, else jqwik's default, else 1000. The {@code fuzz} Maven
 * profile sets both (docs/reliability.md).
 */
public final class FuzzBudget {
    private FuzzBudget() {}

    public static int tries() {
        String v = System.getProperty("undermoon.fuzz.tries", System.getProperty("jqwik.tries.default", "1000"));
        try {
            return Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("undermoon.fuzz.tries must be a positive integer, got '" + v + "'");
        }
    }
}
