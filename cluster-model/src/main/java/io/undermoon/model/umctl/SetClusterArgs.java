package io.undermoon.model.umctl;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.ClusterName;
import io.undermoon.model.SlotRange;
import io.undermoon.model.umctl.UmctlParseException.Reason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The arguments of {@code UMCTL SETCLUSTER}: the whole slot map a proxy must serve. Two wire forms
 * (see docs/umctl.md):
 * <pre>
 *   v2 &lt;epoch&gt; &lt;flags&gt; &lt;cluster_name&gt; [&lt;node&gt; &lt;slot_range&gt;]* [PEER [&lt;proxy&gt; &lt;slot_range&gt;]*] [CONFIG [&lt;field&gt; &lt;value&gt;]*]
 *   v2 &lt;epoch&gt; &lt;flags with COMPRESS&gt; &lt;base64(gzip(json))&gt;
 * </pre>
 *
 * <p>{@code local} maps each local Redis node to its slot ranges and {@code peer} each peer proxy
 * to its slot ranges; both iterate in address order. A repeated address adds one more range to
 * that address; a later PEER section replaces an earlier one. {@code clusterName} may be empty (a
 * free proxy). {@code configIgnored} is true when a CONFIG section was invalid but the local and
 * peer metadata were complete, so the proxy applies the metadata with the config it had before
 * the bad section (the default) and answers {@code +WARNING: ignored invalid config}.
 *
 * <p>Epochs are u64 on the wire; we hold them in a {@code long} and reject values above
 * 2^63-1 as {@code InvalidArgs}. Slots at or above 16384 are rejected as {@code InvalidArgs}
 * (the reference accepts them and never routes them), so every parsed value is one the proxy can
 * serve.
 */
public record SetClusterArgs(
        long epoch,
        UmctlFlags flags,
        String clusterName,
        Map<String, List<SlotRange>> local,
        Map<String, List<SlotRange>> peer,
        ClusterConfig clusterConfig,
        boolean configIgnored) {

    public static final String VERSION = "v2";
    public static final String PEER = "PEER";
    public static final String CONFIG = "CONFIG";

    public SetClusterArgs {
        if (epoch < 0) {
            throw new IllegalArgumentException("negative epoch " + epoch);
        }
        Objects.requireNonNull(flags, "flags");
        Objects.requireNonNull(clusterConfig, "clusterConfig");
        if (!ClusterName.isValid(clusterName)) {
            throw new IllegalArgumentException("invalid cluster name '" + clusterName + "'");
        }
        local = sortedCopy(local, "local");
        peer = sortedCopy(peer, "peer");
    }

    /** Metadata as the coordinator sends it: no flags, no ignored config. */
    public static SetClusterArgs of(long epoch, String clusterName, Map<String, List<SlotRange>> local,
            Map<String, List<SlotRange>> peer, ClusterConfig clusterConfig) {
        return new SetClusterArgs(epoch, UmctlFlags.NONE, clusterName, local, peer, clusterConfig, false);
    }

    public SetClusterArgs withFlags(UmctlFlags newFlags) {
        return new SetClusterArgs(epoch, newFlags, clusterName, local, peer, clusterConfig, configIgnored);
    }

    /**
     * Parses the arguments after {@code UMCTL SETCLUSTER}. Tokens that are not UTF-8 are skipped,
     * as the reference does, so the following tokens shift left.
     */
    public static SetClusterArgs parse(List<byte[]> tokens) throws UmctlParseException {
        return parseStrings(UmctlText.utf8SkippingInvalid(tokens));
    }

    /** Parses the arguments after {@code UMCTL SETCLUSTER}, already decoded as text. */
    public static SetClusterArgs parseStrings(List<String> tokens) throws UmctlParseException {
        TokenCursor in = new TokenCursor(tokens);
        String version = in.next("version");
        if (!VERSION.equals(version)) {
            throw new UmctlParseException(Reason.InvalidVersion, "version '" + version + "' is not " + VERSION);
        }
        long epoch = in.nextEpoch("epoch");
        UmctlFlags flags = UmctlFlags.parse(in.next("flags"));
        if (flags.compress()) {
            CompressedClusterMeta.Payload p = CompressedClusterMeta.decode(in.next("compressed metadata"));
            return build(epoch, flags, p.clusterName(), p.local(), p.peer(), p.config(), false);
        }
        String name = in.next("cluster name");
        if (!ClusterName.isValid(name)) {
            throw new UmctlParseException(Reason.InvalidClusterName, "invalid cluster name '" + name + "'");
        }
        Map<String, List<SlotRange>> local = parseNodes(in);
        Map<String, List<SlotRange>> peer = Map.of();
        ClusterConfig config = ClusterConfig.DEFAULT;
        boolean configIgnored = false;
        while (in.hasNext()) {
            String keyword = in.next("keyword");
            if (UmctlText.equalsIgnoreAsciiCase(keyword, PEER)) {
                peer = parseNodes(in);
            } else if (UmctlText.equalsIgnoreAsciiCase(keyword, CONFIG)) {
                Optional<ClusterConfig> section = parseConfig(in);
                if (section.isPresent()) {
                    config = section.get();
                } else if (local.isEmpty() || peer.isEmpty()) {
                    throw UmctlParseException.invalidArgs("invalid CONFIG section with incomplete local or peer metadata");
                } else {
                    configIgnored = true;
                }
            } else {
                throw UmctlParseException.invalidArgs("unexpected argument '" + keyword + "'");
            }
        }
        return build(epoch, flags, name, local, peer, config, configIgnored);
    }

    private static SetClusterArgs build(long epoch, UmctlFlags flags, String name, Map<String, List<SlotRange>> local,
            Map<String, List<SlotRange>> peer, ClusterConfig config, boolean configIgnored) throws UmctlParseException {
        try {
            return new SetClusterArgs(epoch, flags, name, local, peer, config, configIgnored);
        } catch (IllegalArgumentException e) {
            throw UmctlParseException.invalidArgs(e.getMessage());
        }
    }

    /** {@code [<address> <slot_range>]*} up to the next PEER or CONFIG keyword or the end. */
    private static Map<String, List<SlotRange>> parseNodes(TokenCursor in) throws UmctlParseException {
        Map<String, List<SlotRange>> nodes = new TreeMap<>();
        while (in.hasNext() && !atKeyword(in)) {
            String address = in.next("address");
            SlotRange range = SlotRangeTokens.parse(in);
            nodes.computeIfAbsent(address, a -> new ArrayList<>()).add(range);
        }
        return nodes;
    }

    /**
     * {@code [<field> <value>]*} up to the next PEER or CONFIG keyword or the end, applied to the
     * default config. Empty when a field is unknown, a value is bad, or a value is missing (the
     * end, or a PEER/CONFIG keyword where the value should be); the rest of the section is then
     * skipped, so that the following PEER or CONFIG section still parses.
     */
    private static Optional<ClusterConfig> parseConfig(TokenCursor in) {
        ClusterConfig config = ClusterConfig.DEFAULT;
        boolean valid = true;
        while (in.hasNext() && !atKeyword(in)) {
            String field = in.take();
            if (!valid) {
                continue;
            }
            if (!in.hasNext() || atKeyword(in)) {
                valid = false;
                continue;
            }
            String value = in.take();
            try {
                config = config.withField(field, value);
            } catch (ClusterConfig.InvalidFieldException e) {
                valid = false;
            }
        }
        return valid ? Optional.of(config) : Optional.empty();
    }

    private static boolean atKeyword(TokenCursor in) {
        return in.peekIs(PEER) || in.peekIs(CONFIG);
    }

    /**
     * The plain form, exactly as the coordinator builds it:
     * {@code v2 <epoch> <flags> <name> {<node> <range tokens>}* [PEER {<proxy> <range tokens>}*] CONFIG <5 pairs>}.
     * An address with an empty list contributes nothing; PEER appears only when some peer has a
     * range. The COMPRESS flag is never written here.
     */
    public List<String> toTokens() {
        List<String> out = new ArrayList<>();
        out.add(VERSION);
        out.add(Long.toString(epoch));
        out.add(flags.withCompress(false).toArg());
        out.add(clusterName);
        appendNodes(out, local);
        List<String> peerTokens = new ArrayList<>();
        appendNodes(peerTokens, peer);
        if (!peerTokens.isEmpty()) {
            out.add(PEER);
            out.addAll(peerTokens);
        }
        out.add(CONFIG);
        clusterConfig.toFlatMap().forEach((field, value) -> {
            out.add(field);
            out.add(value);
        });
        return out;
    }

    /**
     * The compressed form {@code v2 <epoch> <flags incl. COMPRESS> <base64(gzip(json))>}; unlike
     * the plain form, addresses with empty lists appear (as {@code []}).
     */
    public List<String> toCompressedTokens() {
        return List.of(VERSION, Long.toString(epoch), flags.withCompress(true).toArg(),
                CompressedClusterMeta.encode(clusterName, local, peer, clusterConfig));
    }

    private static void appendNodes(List<String> out, Map<String, List<SlotRange>> nodes) {
        nodes.forEach((address, ranges) -> {
            for (SlotRange range : ranges) {
                out.add(address);
                out.addAll(range.toTokens());
            }
        });
    }

    private static Map<String, List<SlotRange>> sortedCopy(Map<String, List<SlotRange>> nodes, String what) {
        Objects.requireNonNull(nodes, what);
        TreeMap<String, List<SlotRange>> copy = new TreeMap<>();
        nodes.forEach((address, ranges) -> {
            Objects.requireNonNull(address, what + " address");
            if (UmctlText.equalsIgnoreAsciiCase(address, PEER) || UmctlText.equalsIgnoreAsciiCase(address, CONFIG)) {
                throw new IllegalArgumentException(what + " address '" + address + "' is a keyword");
            }
            Objects.requireNonNull(ranges, what + " ranges of " + address);
            List<SlotRange> list = new ArrayList<>(ranges.size());
            for (SlotRange range : ranges) {
                list.add(SlotRangeTokens.normalized(range));
            }
            copy.put(address, List.copyOf(list));
        });
        return Collections.unmodifiableSortedMap(copy);
    }
}
