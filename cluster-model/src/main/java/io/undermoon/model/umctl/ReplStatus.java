package io.undermoon.model.umctl;

import io.undermoon.model.ClusterName;
import io.undermoon.model.umctl.UmctlParseException.Reason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One line of {@code UMCTL REPLSTATUS} (ours): what a proxy knows of the replication of one of its
 * Redis nodes, as the role SETREPL gave it. Text form, a role word then {@code key=value} tokens
 * separated by single spaces:
 * <pre>
 *   replica node=&lt;addr&gt; cluster=&lt;name&gt; master=&lt;addr&gt; link=up|down synced=yes|no|unknown offset=&lt;n&gt;
 *   master node=&lt;addr&gt; cluster=&lt;name&gt; replicas_online=&lt;n&gt; offset=&lt;n&gt;
 * </pre>
 *
 * <ul>
 *   <li>{@code synced}: the replica has completed a sync (full or partial) of {@code master} since
 *   it was made a replica of it, and has not restarted since; {@code unknown} when the proxy cannot
 *   tell (it found the Redis already replicating that master with the link down, after a restart
 *   of the proxy). A replica that is not synced holds none of its master's data, or stale data.</li>
 *   <li>{@code link}: the replication link to the master is up (Redis's {@code connected} state).</li>
 *   <li>{@code offset}: the replication offset (a replica: processed from its master; a master:
 *   {@code master_repl_offset}); -1 when unknown.</li>
 *   <li>{@code replicas_online}: replicas that completed their sync and are attached now.</li>
 * </ul>
 *
 * Reading is lenient where that helps compatibility: tokens with an unknown key are ignored, and so
 * is an unknown role word's whole line ({@link #parse} answers null). Everything else is strict: a
 * missing {@code node} (or {@code master} for a replica), a repeated key, an empty address, a bad
 * number, a bad cluster name or a value outside its words is an {@link UmctlParseException}.
 */
public sealed interface ReplStatus {

    /** Whether a replica has completed a sync of its current master. */
    enum Synced {
        YES, NO, UNKNOWN;

        String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    String node();

    String cluster();

    long offset();

    /** The text form (one bulk string of the reply). */
    String toText();

    /** A local node in the replica role. */
    record Replica(String node, String cluster, String master, boolean linkUp, Synced synced, long offset)
            implements ReplStatus {
        public Replica {
            checkAddress(node, "node");
            checkAddress(master, "master");
            checkCluster(cluster);
            Objects.requireNonNull(synced, "synced");
            checkOffset(offset);
        }

        @Override
        public String toText() {
            return "replica node=" + node + " cluster=" + cluster + " master=" + master + " link=" + (linkUp ? "up" : "down")
                    + " synced=" + synced.wire() + " offset=" + offset;
        }
    }

    /** A local node in the master role (a free node is a master of cluster ""). */
    record Master(String node, String cluster, int replicasOnline, long offset) implements ReplStatus {
        public Master {
            checkAddress(node, "node");
            checkCluster(cluster);
            if (replicasOnline < 0) {
                throw new IllegalArgumentException("negative replicas_online");
            }
            checkOffset(offset);
        }

        @Override
        public String toText() {
            return "master node=" + node + " cluster=" + cluster + " replicas_online=" + replicasOnline + " offset=" + offset;
        }
    }

    /**
     * Parses one line. Null for a line whose role word is neither {@code master} nor {@code replica}
     * (a newer proxy may report more), which a reader skips.
     */
    static ReplStatus parse(String line) throws UmctlParseException {
        Objects.requireNonNull(line, "line");
        String[] tokens = line.split(" ", -1);
        String role = tokens[0];
        boolean replica = role.equals("replica");
        if (!replica && !role.equals("master")) {
            if (role.isEmpty()) {
                throw UmctlParseException.invalidArgs("empty replication status line");
            }
            return null;
        }
        String node = null;
        String cluster = "";
        String master = null;
        Boolean linkUp = null;
        Synced synced = null;
        long offset = -1;
        int online = 0;
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < tokens.length; i++) {
            String t = tokens[i];
            int eq = t.indexOf('=');
            if (eq <= 0) {
                throw UmctlParseException.invalidArgs("expected key=value, got '" + t + "'");
            }
            String key = t.substring(0, eq);
            String value = t.substring(eq + 1);
            if (!seen.add(key)) {
                throw UmctlParseException.invalidArgs("repeated key " + key);
            }
            switch (key) {
                case "node" -> node = address(value, "node");
                case "cluster" -> {
                    if (!ClusterName.isValid(value)) {
                        throw new UmctlParseException(Reason.InvalidClusterName, "invalid cluster name '" + value + "'");
                    }
                    cluster = value;
                }
                case "master" -> master = address(value, "master");
                case "link" -> linkUp = switch (value) {
                    case "up" -> true;
                    case "down" -> false;
                    default -> throw UmctlParseException.invalidArgs("link must be up or down, got '" + value + "'");
                };
                case "synced" -> synced = switch (value) {
                    case "yes" -> Synced.YES;
                    case "no" -> Synced.NO;
                    case "unknown" -> Synced.UNKNOWN;
                    default -> throw UmctlParseException.invalidArgs("synced must be yes, no or unknown, got '" + value + "'");
                };
                case "offset" -> offset = number(value, "offset", -1, Long.MAX_VALUE);
                case "replicas_online" -> online = (int) number(value, "replicas_online", 0, Integer.MAX_VALUE);
                default -> { } // a newer proxy's field
            }
        }
        if (node == null) {
            throw UmctlParseException.invalidArgs("missing node");
        }
        if (!replica) {
            return new Master(node, cluster, online, offset);
        }
        if (master == null) {
            throw UmctlParseException.invalidArgs("a replica line without master");
        }
        return new Replica(node, cluster, master, linkUp != null && linkUp, synced == null ? Synced.UNKNOWN : synced, offset);
    }

    /** Parses every line of a reply; lines with an unknown role word are left out. */
    static List<ReplStatus> parseAll(List<String> lines) throws UmctlParseException {
        List<ReplStatus> out = new ArrayList<>(lines.size());
        for (String l : lines) {
            ReplStatus s = parse(l);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static String address(String value, String key) throws UmctlParseException {
        if (value.isEmpty() || value.indexOf('=') >= 0) {
            throw UmctlParseException.invalidArgs("invalid " + key + " '" + value + "'");
        }
        return value;
    }

    private static long number(String value, String key, long min, long max) throws UmctlParseException {
        boolean negative = value.startsWith("-");
        String digits = negative ? value.substring(1) : value;
        if (digits.isEmpty() || digits.length() > 19) {
            throw UmctlParseException.invalidArgs(key + " is not a number: '" + value + "'");
        }
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw UmctlParseException.invalidArgs(key + " is not a number: '" + value + "'");
            }
        }
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw UmctlParseException.invalidArgs(key + " is out of range: '" + value + "'");
        }
        if (n < min || n > max) {
            throw UmctlParseException.invalidArgs(key + " is out of range: '" + value + "'");
        }
        return n;
    }

    private static void checkAddress(String a, String key) {
        Objects.requireNonNull(a, key);
        if (a.isEmpty() || a.indexOf(' ') >= 0 || a.indexOf('=') >= 0) {
            throw new IllegalArgumentException("invalid " + key + " '" + a + "'");
        }
    }

    private static void checkCluster(String cluster) {
        if (!ClusterName.isValid(cluster)) {
            throw new IllegalArgumentException("invalid cluster name '" + cluster + "'");
        }
    }

    private static void checkOffset(long offset) {
        if (offset < -1) {
            throw new IllegalArgumentException("offset below -1");
        }
    }
}
