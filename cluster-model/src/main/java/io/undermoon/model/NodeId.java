package io.undermoon.model;

import java.nio.charset.StandardCharsets;

/**
 * The 40-character node id a proxy shows in CLUSTER NODES/SLOTS:
 * pad24(cluster name) + pad16(lower-case hex of crc64(address), no leading zeros).
 */
public final class NodeId {
    private NodeId() {}

    public static String of(String clusterName, String address) {
        StringBuilder sb = new StringBuilder(40);
        appendPadded(sb, clusterName == null ? "" : clusterName, 24);
        appendPadded(sb, Long.toHexString(Crc64.of(address.getBytes(StandardCharsets.UTF_8))), 16);
        return sb.toString();
    }

    private static void appendPadded(StringBuilder sb, String s, int width) {
        if (s.length() >= width) {
            sb.append(s, 0, width);
        } else {
            sb.append(s);
            sb.append("_".repeat(width - s.length()));
        }
    }
}
