package io.undermoon.model.umctl;

import java.util.ArrayList;
import java.util.List;

/**
 * The flags word of SETCLUSTER and SETREPL: comma-separated, {@code FORCE} and {@code COMPRESS}
 * recognised ASCII case-insensitively, anything else ({@code NOFLAG}, {@code noflag},
 * {@code NOFLAGS}, ...) ignored. Written as {@code FORCE}, {@code COMPRESS},
 * {@code FORCE,COMPRESS} or {@code NOFLAG}.
 */
public record UmctlFlags(boolean force, boolean compress) {
    public static final UmctlFlags NONE = new UmctlFlags(false, false);
    public static final String NO_FLAG = "NOFLAG";

    public static UmctlFlags parse(String word) {
        boolean force = false;
        boolean compress = false;
        for (String part : word.split(",", -1)) {
            force |= UmctlText.equalsIgnoreAsciiCase(part, "FORCE");
            compress |= UmctlText.equalsIgnoreAsciiCase(part, "COMPRESS");
        }
        return new UmctlFlags(force, compress);
    }

    public UmctlFlags withCompress(boolean value) {
        return new UmctlFlags(force, value);
    }

    public String toArg() {
        List<String> words = new ArrayList<>(2);
        if (force) {
            words.add("FORCE");
        }
        if (compress) {
            words.add("COMPRESS");
        }
        return words.isEmpty() ? NO_FLAG : String.join(",", words);
    }
}
