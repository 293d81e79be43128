package io.undermoon.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A tagged list of slot ranges: {@code {"range_list": [[s,e],...], "tag": TAG}}. */
@JsonPropertyOrder({"range_list", "tag"})
public record SlotRange(
        @JsonProperty(value = "range_list", required = true) RangeList rangeList,
        @JsonProperty(value = "tag", required = true) SlotRangeTag tag) {

    @JsonCreator
    public SlotRange {
        Objects.requireNonNull(rangeList, "range_list");
        Objects.requireNonNull(tag, "tag");
    }

    public static SlotRange stable(RangeList ranges) {
        return new SlotRange(ranges, SlotRangeTag.NONE);
    }

    public static SlotRange stable(int start, int end) {
        return stable(RangeList.of(Range.of(start, end)));
    }

    /**
     * Text tokens: {@code <count> s-e...} for a stable range, or
     * {@code MIGRATING|IMPORTING <count> s-e... epoch src_proxy src_node dst_proxy dst_node}.
     */
    public List<String> toTokens() {
        List<String> tokens = new ArrayList<>();
        switch (tag) {
            case SlotRangeTag.None n -> tokens.addAll(rangeList.toTokens());
            case SlotRangeTag.Migrating m -> {
                tokens.add("MIGRATING");
                tokens.addAll(rangeList.toTokens());
                tokens.addAll(m.meta().toTokens());
            }
            case SlotRangeTag.Importing i -> {
                tokens.add("IMPORTING");
                tokens.addAll(rangeList.toTokens());
                tokens.addAll(i.meta().toTokens());
            }
        }
        return tokens;
    }

    @Override
    public String toString() {
        return String.join(" ", toTokens());
    }
}
