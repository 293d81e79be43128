package io.undermoon.proxy.command;

import io.undermoon.model.SlotHash;
import io.undermoon.resp.Request;

/**
 * Finds the slot of a command's keys from its {@link CommandSpec}, without allocating.
 * Returns a slot in 0..16383, or one of the negative codes below.
 */
public final class KeyFinder {
    /** The command has no key. */
    public static final int NO_KEY = -1;
    /** The keys hash to different slots. */
    public static final int CROSS_SLOT = -2;
    /** numkeys is not a valid number. */
    public static final int BAD_NUMKEYS = -3;
    /** numkeys is larger than the number of arguments. */
    public static final int TOO_MANY_NUMKEYS = -4;
    /** XREAD/XREADGROUP without a well-formed STREAMS section. */
    public static final int BAD_STREAMS = -5;

    private static final byte[] STREAMS = "STREAMS".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] STORE = "STORE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] STOREDIST = "STOREDIST".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private KeyFinder() {}

    public static int slot(Request r, CommandSpec spec) {
        int argc = r.argc();
        int slot = NO_KEY;
        if (spec.firstKey() > 0 && spec.firstKey() < argc) {
            int last = spec.lastKey() < 0 ? argc + spec.lastKey() : Math.min(spec.lastKey(), argc - 1);
            for (int i = spec.firstKey(); i <= last; i += spec.step()) {
                slot = merge(slot, slotOfArg(r, i));
                if (slot == CROSS_SLOT) {
                    return slot;
                }
            }
        }
        int ni = spec.numkeysIndex();
        if (ni > 0) {
            if (ni >= argc) {
                return BAD_NUMKEYS;
            }
            long n = r.argLong(ni);
            if (n < 0) {
                return BAD_NUMKEYS;
            }
            if (n > argc - ni - 1) {
                return TOO_MANY_NUMKEYS;
            }
            for (int i = ni + 1; i <= ni + n; i++) {
                slot = merge(slot, slotOfArg(r, i));
                if (slot == CROSS_SLOT) {
                    return slot;
                }
            }
        }
        if (spec.streams()) {
            int s = -1;
            for (int i = 1; i < argc; i++) {
                if (r.argEqualsIgnoreCase(i, STREAMS)) {
                    s = i;
                    break;
                }
            }
            int rest = s < 0 ? 0 : argc - s - 1;
            if (s < 0 || rest == 0 || rest % 2 != 0) {
                return BAD_STREAMS;
            }
            for (int i = s + 1; i <= s + rest / 2; i++) {
                slot = merge(slot, slotOfArg(r, i));
                if (slot == CROSS_SLOT) {
                    return slot;
                }
            }
        }
        if (spec.write() && (spec.name().equals("SORT") || spec.name().startsWith("GEORADIUS"))) {
            for (int i = 2; i + 1 < argc; i++) {
                if (r.argEqualsIgnoreCase(i, STORE) || r.argEqualsIgnoreCase(i, STOREDIST)) {
                    slot = merge(slot, slotOfArg(r, i + 1));
                    if (slot == CROSS_SLOT) {
                        return slot;
                    }
                }
            }
        }
        return slot;
    }

    public static int slotOfArg(Request r, int i) {
        return SlotHash.slot(r.raw(), r.argOffset(i), r.argLength(i));
    }

    private static int merge(int current, int next) {
        if (current == NO_KEY || current == next) {
            return next;
        }
        return CROSS_SLOT;
    }

    /** The argument indexes of every key of the command (allocates; for the migration path only). */
    public static int[] keyIndexes(Request r, CommandSpec spec) {
        int argc = r.argc();
        java.util.List<Integer> out = new java.util.ArrayList<>();
        if (spec.firstKey() > 0 && spec.firstKey() < argc) {
            int last = spec.lastKey() < 0 ? argc + spec.lastKey() : Math.min(spec.lastKey(), argc - 1);
            for (int i = spec.firstKey(); i <= last; i += spec.step()) {
                out.add(i);
            }
        }
        int ni = spec.numkeysIndex();
        if (ni > 0 && ni < argc) {
            long n = r.argLong(ni);
            for (int i = ni + 1; n > 0 && i <= ni + n && i < argc; i++) {
                out.add(i);
            }
        }
        if (spec.streams()) {
            for (int i = 1; i < argc; i++) {
                if (r.argEqualsIgnoreCase(i, STREAMS)) {
                    int rest = argc - i - 1;
                    for (int k = i + 1; k <= i + rest / 2; k++) {
                        out.add(k);
                    }
                    break;
                }
            }
        }
        if (spec.write() && (spec.name().equals("SORT") || spec.name().startsWith("GEORADIUS"))) {
            for (int i = 2; i + 1 < argc; i++) {
                if (r.argEqualsIgnoreCase(i, STORE) || r.argEqualsIgnoreCase(i, STOREDIST)) {
                    out.add(i + 1);
                }
            }
        }
        int[] a = new int[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    /** Index of the first key argument, or -1 (for migration per-key handling). */
    public static int firstKeyIndex(Request r, CommandSpec spec) {
        int argc = r.argc();
        if (spec.firstKey() > 0 && spec.firstKey() < argc) {
            return spec.firstKey();
        }
        int ni = spec.numkeysIndex();
        if (ni > 0 && ni + 1 < argc && r.argLong(ni) > 0) {
            return ni + 1;
        }
        if (spec.streams()) {
            for (int i = 1; i < argc; i++) {
                if (r.argEqualsIgnoreCase(i, STREAMS)) {
                    return i + 1 < argc ? i + 1 : -1;
                }
            }
        }
        return -1;
    }
}
