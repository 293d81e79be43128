package io.undermoon.model;

/** Cluster name rules: ASCII letters, digits, '@', '-', '_'; at most 31 bytes; may be empty. */
public final class ClusterName {
    public static final int MAX_LENGTH = 31;

    private ClusterName() {}

    public static boolean isValid(String name) {
        if (name == null || name.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '@' || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
