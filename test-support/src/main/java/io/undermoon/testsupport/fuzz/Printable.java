package io.undermoon.testsupport.fuzz;

/** Bytes as readable text for failure messages: printable ASCII as is, the rest as \xNN. */
public final class Printable {
    private Printable() {}

    public static String bytes(byte[] b, int max) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length && sb.length() < max; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c >= 32 && c < 127) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        if (sb.length() >= max) {
            sb.append("... (").append(b.length).append(" bytes)");
        }
        return sb.toString();
    }
}
