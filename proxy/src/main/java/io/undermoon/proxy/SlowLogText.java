package io.undermoon.proxy;

import io.undermoon.resp.Request;

/** The slow-log rendering of a command: its first 5 arguments, each cut at 100 bytes. */
public final class SlowLogText {
    private SlowLogText() {}

    public static String of(Request r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.argc() && i < 5; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            int len = r.argLength(i);
            if (len > 100) {
                sb.append(r.raw().toString(r.argOffset(i), 100, java.nio.charset.StandardCharsets.UTF_8))
                        .append('(').append(len).append("bytes)");
            } else {
                sb.append(r.argString(i));
            }
        }
        return sb.toString();
    }
}
