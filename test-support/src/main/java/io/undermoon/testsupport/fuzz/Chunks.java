package io.undermoon.testsupport.fuzz;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Splits a byte stream at random points, as TCP may deliver it. */
public final class Chunks {
    private Chunks() {}

    /**
     * {@code data} cut into pieces: mostly small (1..{@code small} bytes, to cross every token
     * boundary), sometimes large; concatenated they are {@code data} again.
     */
    public static List<byte[]> split(byte[] data, Random rnd, int small) {
        List<byte[]> out = new ArrayList<>();
        int off = 0;
        while (off < data.length) {
            int n = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(Math.max(1, data.length)) : 1 + rnd.nextInt(small);
            n = Math.min(n, data.length - off);
            out.add(Arrays.copyOfRange(data, off, off + n));
            off += n;
        }
        return out;
    }
}
