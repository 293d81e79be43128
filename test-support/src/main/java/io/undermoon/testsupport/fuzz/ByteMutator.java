package io.undermoon.testsupport.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Structure-aware mutations of a valid input, in the style of coverage-guided fuzzers: bit flips,
 * random bytes, insertion of format tokens from a dictionary, deletion, duplication and swapping of
 * ranges, truncation, and replacement of a number by an interesting one (huge, negative,
 * overflowing). Deterministic for a given {@link Random}, so a failing seed replays.
 */
public final class ByteMutator {
    /** Numbers that sit on the edges parsers get wrong. */
    public static final List<String> INTERESTING_NUMBERS = List.of(
            "0", "-0", "1", "-1", "+1", "007", "127", "128", "255", "256", "16383", "16384", "65535", "65536",
            "1048576", "1048577", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
            "536870912", "536870913", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "9999999999999999999", "18446744073709551615", "18446744073709551616",
            "99999999999999999999999999999", "1e3", "1.5", "0x10", "NaN", "Infinity", "\u0661");

    private final List<byte[]> dictionary;

    public ByteMutator(List<String> dictionary) {
        List<byte[]> d = new ArrayList<>();
        for (String s : dictionary) {
            d.add(s.getBytes(StandardCharsets.UTF_8));
        }
        for (String s : INTERESTING_NUMBERS) {
            d.add(s.getBytes(StandardCharsets.UTF_8));
        }
        this.dictionary = List.copyOf(d);
    }

    /** {@code input} after {@code edits} random mutations. */
    public byte[] mutate(byte[] input, Random rnd, int edits) {
        byte[] b = input;
        for (int i = 0; i < edits; i++) {
            b = mutateOnce(b, rnd);
        }
        return b;
    }

    private byte[] mutateOnce(byte[] b, Random rnd) {
        int n = b.length;
        switch (rnd.nextInt(n == 0 ? 1 : 11)) {
            case 0 -> {
                return insert(b, rnd.nextInt(n + 1), dictionary.get(rnd.nextInt(dictionary.size())));
            }
            case 1 -> {
                byte[] c = b.clone();
                int at = rnd.nextInt(n);
                c[at] ^= (byte) (1 << rnd.nextInt(8));
                return c;
            }
            case 2 -> {
                byte[] c = b.clone();
                c[rnd.nextInt(n)] = (byte) rnd.nextInt(256);
                return c;
            }
            case 3 -> {
                int at = rnd.nextInt(n);
                int len = 1 + rnd.nextInt(Math.min(16, n - at));
                return concat(Arrays.copyOfRange(b, 0, at), Arrays.copyOfRange(b, at + len, n));
            }
            case 4 -> {
                int at = rnd.nextInt(n);
                int len = 1 + rnd.nextInt(Math.min(64, n - at));
                return insert(b, rnd.nextInt(n + 1), Arrays.copyOfRange(b, at, at + len));
            }
            case 5 -> {
                return Arrays.copyOf(b, rnd.nextInt(n));
            }
            case 6 -> {
                return replaceNumber(b, rnd);
            }
            case 7 -> {
                int at = rnd.nextInt(n);
                byte[] tok = dictionary.get(rnd.nextInt(dictionary.size()));
                byte[] c = b.clone();
                System.arraycopy(tok, 0, c, at, Math.min(tok.length, n - at));
                return c;
            }
            case 8 -> {
                byte[] junk = new byte[1 + rnd.nextInt(8)];
                rnd.nextBytes(junk);
                return insert(b, rnd.nextInt(n + 1), junk);
            }
            case 9 -> {
                // swap two ranges: the same tokens, in the wrong order
                int a = rnd.nextInt(n);
                int c = rnd.nextInt(n);
                int from = Math.min(a, c);
                int to = Math.max(a, c);
                return concat(concat(Arrays.copyOfRange(b, to, n), Arrays.copyOfRange(b, from, to)),
                        Arrays.copyOfRange(b, 0, from));
            }
            default -> {
                // repeat a range many times (deep nesting, long lines)
                int at = rnd.nextInt(n);
                int len = 1 + rnd.nextInt(Math.min(8, n - at));
                byte[] piece = Arrays.copyOfRange(b, at, at + len);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int times = 2 + rnd.nextInt(200);
                for (int i = 0; i < times; i++) {
                    out.writeBytes(piece);
                }
                return insert(b, at, out.toByteArray());
            }
        }
    }

    /** Replaces one run of ASCII digits (with its sign) by an interesting number. */
    private static byte[] replaceNumber(byte[] b, Random rnd) {
        List<int[]> runs = new ArrayList<>();
        for (int i = 0; i < b.length; ) {
            if (b[i] >= '0' && b[i] <= '9') {
                int start = i > 0 && b[i - 1] == '-' ? i - 1 : i;
                while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                    i++;
                }
                runs.add(new int[] {start, i});
            } else {
                i++;
            }
        }
        byte[] number = INTERESTING_NUMBERS.get(rnd.nextInt(INTERESTING_NUMBERS.size())).getBytes(StandardCharsets.UTF_8);
        if (runs.isEmpty()) {
            return insert(b, rnd.nextInt(b.length + 1), number);
        }
        int[] run = runs.get(rnd.nextInt(runs.size()));
        return concat(concat(Arrays.copyOfRange(b, 0, run[0]), number), Arrays.copyOfRange(b, run[1], b.length));
    }

    private static byte[] insert(byte[] b, int at, byte[] piece) {
        return concat(concat(Arrays.copyOfRange(b, 0, at), piece), Arrays.copyOfRange(b, at, b.length));
    }

    private static byte[] concat(byte[] a, byte[] c) {
        byte[] out = Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, out, a.length, c.length);
        return out;
    }
}
