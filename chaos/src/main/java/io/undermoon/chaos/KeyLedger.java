package io.undermoon.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything one checker client wrote to one key, and what a read of it must return.
 *
 * <p>Writes are numbered 1, 2, ... in the order the client issued them (one client owns the key,
 * so they never overlap); write {@code n} of a SET stores a value that names {@code n}, so every
 * value read can be attributed. Index 0 stands for the key's initial state (absent). A write is
 * acknowledged (OK / an integer reply) or in doubt (timeout, connection error, error reply: it may
 * or may not have happened). The key must hold the effect of the last acknowledged write, the
 * "expected" state, or of a later write in doubt. A read that shows:
 * <ul>
 *   <li>the expected state is {@link ReadVerdict.Expected};
 *   <li>the effect of a later write in doubt is {@link ReadVerdict.InDoubtApplied} (that write now
 *       counts as acknowledged at the time of the read);
 *   <li>an older state produced by an acknowledged write (or the initial absence) is
 *       {@link ReadVerdict.Lost}: the acknowledged writes after it were rolled back;
 *   <li>an older state produced by a write in doubt is {@link ReadVerdict.Ambiguous} (the write may
 *       have been executed late, after later writes);
 *   <li>a value never written to this key is {@link ReadVerdict.Wrong}.
 * </ul>
 * After a lost or ambiguous read the ledger accepts what it saw as the new baseline, so one loss is
 * counted once; the writes up to that point are then settled and no longer count as in doubt.
 *
 * <p>Not thread-safe: a ledger belongs to the client that owns the key.
 */
final class KeyLedger {
    private static final byte SET = 1;
    private static final byte DEL = 2;
    private static final byte PENDING = 0;
    private static final byte ACKED = 1;
    private static final byte IN_DOUBT = 2;

    private byte[] kinds = new byte[8];
    private byte[] states = new byte[8];
    private long[] issuedMillis = new long[8];
    private long[] ackMillis = new long[8];
    private int count;
    private int expected;
    private int settled;
    private int baseline;
    private long baselineSince;

    KeyLedger() {
        kinds[0] = DEL;
        states[0] = ACKED;
    }

    /** Issues the next write, a SET, sent now; returns its number (to put in the value). */
    int beginSet(long nowMillis) {
        return begin(SET, nowMillis);
    }

    /** Issues the next write, a DEL, sent now; returns its number. */
    int beginDelete(long nowMillis) {
        return begin(DEL, nowMillis);
    }

    private int begin(byte kind, long nowMillis) {
        if (count > 0 && states[count] == PENDING) {
            throw new IllegalStateException("write " + count + " has no outcome yet");
        }
        int n = ++count;
        if (n == kinds.length) {
            kinds = Arrays.copyOf(kinds, n * 2);
            states = Arrays.copyOf(states, n * 2);
            issuedMillis = Arrays.copyOf(issuedMillis, n * 2);
            ackMillis = Arrays.copyOf(ackMillis, n * 2);
        }
        issuedMillis[n] = nowMillis;
        kinds[n] = kind;
        states[n] = PENDING;
        return n;
    }

    void acknowledge(int n, long nowMillis) {
        checkPending(n);
        states[n] = ACKED;
        ackMillis[n] = nowMillis;
        expected = n;
    }

    void doubt(int n) {
        checkPending(n);
        states[n] = IN_DOUBT;
    }

    private void checkPending(int n) {
        if (n != count || states[n] != PENDING) {
            throw new IllegalStateException("write " + n + " is not the pending write (last issued: " + count + ")");
        }
    }

    /** Writes issued so far. */
    int writes() {
        return count;
    }

    /** A read found the key absent. */
    ReadVerdict observeAbsent(long nowMillis) {
        if (isAbsentState(expected)) {
            return new ReadVerdict.Expected();
        }
        for (int i = count; i > Math.max(expected, settled); i--) {
            if (kinds[i] == DEL && states[i] == IN_DOUBT) {
                promote(i, nowMillis);
                return new ReadVerdict.InDoubtApplied();
            }
        }
        int older = 0;
        for (int i = expected - 1; i > 0; i--) {
            if (kinds[i] == DEL) {
                older = i;
                break;
            }
        }
        return rollBackTo(older, false, nowMillis);
    }

    /** A read returned the value written by write {@code n}. */
    ReadVerdict observeValue(int n, long nowMillis) {
        if (n < 1 || n > count) {
            return new ReadVerdict.Wrong("value of write #" + n + ", but only " + count + " writes were issued");
        }
        if (kinds[n] != SET) {
            return new ReadVerdict.Wrong("value of write #" + n + ", which was a delete");
        }
        if (n == expected) {
            return new ReadVerdict.Expected();
        }
        if (n > Math.max(expected, settled) && states[n] != ACKED) {
            promote(n, nowMillis);
            return new ReadVerdict.InDoubtApplied();
        }
        if (n > expected) {
            ReadVerdict v = new ReadVerdict.Ambiguous("write #" + n + ", rolled back earlier, is visible again");
            reset(n, nowMillis);
            return v;
        }
        return rollBackTo(n, true, nowMillis);
    }

    private ReadVerdict rollBackTo(int older, boolean sawValue, long nowMillis) {
        ReadVerdict v;
        if (older > 0 && states[older] != ACKED) {
            v = new ReadVerdict.Ambiguous("the state of write #" + older + " (in doubt) after acknowledged write #" + expected);
        } else {
            v = new ReadVerdict.Lost(lostSince(older), sawValue && kinds[expected] == DEL);
        }
        reset(older, nowMillis);
        return v;
    }

    /** The acknowledged writes a rollback to {@code older} undoes, oldest first. */
    private List<ReadVerdict.LostWrite> lostSince(int older) {
        List<ReadVerdict.LostWrite> lost = new ArrayList<>();
        ReadVerdict.LostWrite baselineState = new ReadVerdict.LostWrite(baselineSince, baselineSince);
        if (older < settled && !sameState(older, baseline)) {
            lost.add(baselineState); // the state the last rollback left, as seen then
        }
        for (int i = Math.max(older, settled) + 1; i <= expected; i++) {
            if (states[i] == ACKED) {
                lost.add(new ReadVerdict.LostWrite(issuedMillis[i], ackMillis[i]));
            }
        }
        if (lost.isEmpty()) {
            lost.add(baselineState);
        }
        return lost;
    }

    private boolean sameState(int a, int b) {
        return a == b || (isAbsentState(a) && isAbsentState(b));
    }

    private boolean isAbsentState(int i) {
        return kinds[i] == DEL;
    }

    private void promote(int n, long nowMillis) {
        states[n] = ACKED;
        ackMillis[n] = nowMillis;
        expected = n;
    }

    private void reset(int state, long nowMillis) {
        expected = state;
        baseline = state;
        baselineSince = nowMillis;
        settled = count;
    }
}
