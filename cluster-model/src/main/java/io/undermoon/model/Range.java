package io.undermoon.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** An inclusive slot range {@code start-end}; JSON form {@code [start, end]}. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"start", "end"})
public record Range(int start, int end) implements Comparable<Range> {

    @JsonCreator
    public Range {
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException("negative slot in range " + start + "-" + end);
        }
    }

    /** A range with start and end swapped when given reversed. */
    public static Range of(int a, int b) {
        return a <= b ? new Range(a, b) : new Range(b, a);
    }

    public int size() {
        return end - start + 1;
    }

    public boolean contains(int slot) {
        return slot >= start && slot <= end;
    }

    @Override
    public int compareTo(Range o) {
        return start != o.start ? Integer.compare(start, o.start) : Integer.compare(end, o.end);
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
