package io.undermoon.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A compacted list of slot ranges: reversed pairs swapped, sorted by start, overlapping or adjacent
 * ranges merged. JSON form: {@code [[s, e], ...]}. Text form: {@code <count> s-e s-e ...}.
 */
public record RangeList(List<Range> ranges) {

    public static final RangeList EMPTY = new RangeList(List.of());

    public RangeList {
        ranges = List.copyOf(ranges);
    }

    @JsonCreator
    public static RangeList of(List<Range> ranges) {
        return compact(ranges);
    }

    public static RangeList of(Range... ranges) {
        return compact(List.of(ranges));
    }

    /** Swap reversed pairs, sort, and merge overlapping or adjacent ranges. */
    public static RangeList compact(List<Range> input) {
        if (input.isEmpty()) {
            return EMPTY;
        }
        List<Range> sorted = new ArrayList<>(input.size());
        for (Range r : input) {
            sorted.add(Range.of(r.start(), r.end()));
        }
        Collections.sort(sorted);
        List<Range> out = new ArrayList<>(sorted.size());
        Range cur = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            Range next = sorted.get(i);
            if ((long) cur.end() + 1 >= next.start()) {
                cur = new Range(cur.start(), Math.max(cur.end(), next.end()));
            } else {
                out.add(cur);
                cur = next;
            }
        }
        out.add(cur);
        return new RangeList(out);
    }

    @JsonValue
    public List<Range> ranges() {
        return ranges;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Number of slots covered. */
    public int slotCount() {
        int n = 0;
        for (Range r : ranges) {
            n += r.size();
        }
        return n;
    }

    public boolean contains(int slot) {
        for (Range r : ranges) {
            if (r.contains(slot)) {
                return true;
            }
        }
        return false;
    }

    public RangeList merge(RangeList other) {
        List<Range> all = new ArrayList<>(ranges);
        all.addAll(other.ranges);
        return compact(all);
    }

    /** Text tokens {@code <count> s-e ...} as used by UMCTL. */
    public List<String> toTokens() {
        List<String> tokens = new ArrayList<>(ranges.size() + 1);
        tokens.add(Integer.toString(ranges.size()));
        for (Range r : ranges) {
            tokens.add(r.start() + "-" + r.end());
        }
        return tokens;
    }

    @Override
    public String toString() {
        return String.join(" ", toTokens());
    }
}
