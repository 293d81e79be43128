package io.undermoon.model.umctl;

import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The text form of a slot range inside UMCTL arguments:
 * <pre>
 *   &lt;count&gt; &lt;a-b&gt;...                                                        (stable)
 *   MIGRATING|IMPORTING &lt;count&gt; &lt;a-b&gt;... &lt;epoch&gt; &lt;src_proxy&gt; &lt;src_node&gt; &lt;dst_proxy&gt; &lt;dst_node&gt;
 * </pre>
 * The tag is ASCII case-insensitive. A range is {@code start-end} (a bare {@code 300} is invalid,
 * {@code a-b-c} reads as {@code a-b}, a reversed pair is swapped); the list is compacted. A slot
 * at or above 16384 is rejected (the reference keeps it and ignores it when routing).
 */
final class SlotRangeTokens {
    static final String MIGRATING = "MIGRATING";
    static final String IMPORTING = "IMPORTING";

    private SlotRangeTokens() {}

    static SlotRange parse(TokenCursor in) throws UmctlParseException {
        if (!in.hasNext()) {
            throw UmctlParseException.invalidArgs("missing slot range");
        }
        if (in.peekIs(MIGRATING)) {
            in.next(MIGRATING);
            RangeList ranges = parseRangeList(in);
            return new SlotRange(ranges, new SlotRangeTag.Migrating(parseMeta(in)));
        }
        if (in.peekIs(IMPORTING)) {
            in.next(IMPORTING);
            RangeList ranges = parseRangeList(in);
            return new SlotRange(ranges, new SlotRangeTag.Importing(parseMeta(in)));
        }
        return SlotRange.stable(parseRangeList(in));
    }

    private static RangeList parseRangeList(TokenCursor in) throws UmctlParseException {
        int count = in.nextCount("range count", 1);
        List<Range> ranges = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ranges.add(parseRange(in.next("slot range")));
        }
        return RangeList.compact(ranges);
    }

    static Range parseRange(String token) throws UmctlParseException {
        int dash = token.indexOf('-');
        if (dash < 0) {
            throw UmctlParseException.invalidArgs("slot range '" + token + "' is not start-end");
        }
        int secondDash = token.indexOf('-', dash + 1);
        String endText = secondDash < 0 ? token.substring(dash + 1) : token.substring(dash + 1, secondDash);
        long start = UmctlText.parseUnsigned(token.substring(0, dash));
        long end = UmctlText.parseUnsigned(endText);
        if (start < 0 || end < 0) {
            throw UmctlParseException.invalidArgs("slot range '" + token + "' is not start-end");
        }
        if (start >= SlotHash.SLOT_NUM || end >= SlotHash.SLOT_NUM) {
            throw UmctlParseException.invalidArgs("slot range '" + token + "' exceeds slot " + (SlotHash.SLOT_NUM - 1));
        }
        return Range.of((int) start, (int) end);
    }

    private static MigrationMeta parseMeta(TokenCursor in) throws UmctlParseException {
        long epoch = in.nextEpoch("migration epoch");
        return new MigrationMeta(epoch,
                in.next("src_proxy_address"),
                in.next("src_node_address"),
                in.next("dst_proxy_address"),
                in.next("dst_node_address"));
    }

    /**
     * The range with its list compacted, for values built in code or read from JSON; rejects a
     * null range and slots outside 0..16383.
     */
    static SlotRange normalized(SlotRange range) {
        Objects.requireNonNull(range, "slot range");
        for (Range r : range.rangeList().ranges()) {
            if (r.start() >= SlotHash.SLOT_NUM || r.end() >= SlotHash.SLOT_NUM) {
                throw new IllegalArgumentException("slot range " + r + " exceeds slot " + (SlotHash.SLOT_NUM - 1));
            }
        }
        RangeList compact = RangeList.compact(range.rangeList().ranges());
        return compact.equals(range.rangeList()) ? range : new SlotRange(compact, range.tag());
    }
}
