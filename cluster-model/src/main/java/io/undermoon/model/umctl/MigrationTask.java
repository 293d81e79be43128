package io.undermoon.model.umctl;

import io.undermoon.model.ClusterName;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.umctl.UmctlParseException.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One side of a slot migration: a cluster name and a slot range tagged Migrating or Importing.
 * Text form (INFOMGR lines, and the tail of PRECHECK/PRESWITCH/FINALSWITCH):
 * <pre>
 *   &lt;cluster&gt; MIGRATING|IMPORTING &lt;count&gt; &lt;a-b&gt;... &lt;epoch&gt; &lt;src_proxy&gt; &lt;src_node&gt; &lt;dst_proxy&gt; &lt;dst_node&gt;
 * </pre>
 *
 * <p>Equality is task identity as the proxy needs it: cluster name, compacted range list, tag
 * (Migrating vs Importing) and all five migration-meta fields. The range list is compacted on
 * construction, so equal ranges written differently are the same task.
 */
public record MigrationTask(String clusterName, SlotRange slotRange) {

    public MigrationTask {
        if (!ClusterName.isValid(clusterName)) {
            throw new IllegalArgumentException("invalid cluster name '" + clusterName + "'");
        }
        slotRange = SlotRangeTokens.normalized(slotRange);
        if (slotRange.tag().isStable()) {
            throw new IllegalArgumentException("a migration task needs a Migrating or Importing range");
        }
    }

    public MigrationMeta meta() {
        return slotRange.tag().metaOrNull();
    }

    public boolean isMigrating() {
        return slotRange.tag() instanceof SlotRangeTag.Migrating;
    }

    public boolean isImporting() {
        return slotRange.tag() instanceof SlotRangeTag.Importing;
    }

    /** The same task seen from the importing side (the switch commands look tasks up this way). */
    public MigrationTask asImporting() {
        return isImporting() ? this : new MigrationTask(clusterName,
                new SlotRange(slotRange.rangeList(), new SlotRangeTag.Importing(meta())));
    }

    /** The same task seen from the migrating side. */
    public MigrationTask asMigrating() {
        return isMigrating() ? this : new MigrationTask(clusterName,
                new SlotRange(slotRange.rangeList(), new SlotRangeTag.Migrating(meta())));
    }

    /**
     * Parses one INFOMGR line: the text is split on single spaces (so two spaces make an empty
     * token) and tokens after the task are ignored, as the reference does. A stable range is
     * {@code StableRange}; the coordinator skips such a line.
     */
    public static MigrationTask parse(String text) throws UmctlParseException {
        return parse(new TokenCursor(Arrays.asList(text.split(" ", -1))));
    }

    /** Parses one INFOMGR bulk string; bytes that are not UTF-8 are {@code InvalidArgs}. */
    public static MigrationTask parse(byte[] text) throws UmctlParseException {
        String decoded = UmctlText.utf8(text)
                .orElseThrow(() -> UmctlParseException.invalidArgs("migration task is not UTF-8"));
        return parse(decoded);
    }

    /** Parses the task at the cursor and leaves any following tokens unread. */
    static MigrationTask parse(TokenCursor in) throws UmctlParseException {
        String name = in.next("cluster name");
        if (!ClusterName.isValid(name)) {
            throw new UmctlParseException(Reason.InvalidClusterName, "invalid cluster name '" + name + "'");
        }
        SlotRange range = SlotRangeTokens.parse(in);
        if (range.tag().isStable()) {
            throw new UmctlParseException(Reason.StableRange, "slot range " + range + " is not migrating or importing");
        }
        return new MigrationTask(name, range);
    }

    public List<String> toTokens() {
        List<String> out = new ArrayList<>();
        out.add(clusterName);
        out.addAll(slotRange.toTokens());
        return out;
    }

    /** The INFOMGR line: {@link #toTokens()} joined by single spaces. */
    public String toText() {
        return String.join(" ", toTokens());
    }

    @Override
    public String toString() {
        return toText();
    }
}
