package io.undermoon.proxy.local;

/** Redis-style glob matching with '*', '?' and '[...]' for CONFIG GET patterns. */
final class Glob {
    private Glob() {}

    static boolean matches(String pattern, String text) {
        return match(pattern, 0, text, 0);
    }

    private static boolean match(String p, int pi, String t, int ti) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                for (int k = ti; k <= t.length(); k++) {
                    if (match(p, pi + 1, t, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (ti >= t.length()) {
                return false;
            }
            if (c == '?') {
                pi++;
                ti++;
            } else if (c == '[') {
                int end = p.indexOf(']', pi + 1);
                if (end < 0) {
                    return false;
                }
                if (p.substring(pi + 1, end).indexOf(t.charAt(ti)) < 0) {
                    return false;
                }
                pi = end + 1;
                ti++;
            } else {
                if (c != t.charAt(ti)) {
                    return false;
                }
                pi++;
                ti++;
            }
        }
        return ti == t.length();
    }
}
