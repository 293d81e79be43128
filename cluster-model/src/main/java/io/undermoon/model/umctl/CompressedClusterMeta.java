package io.undermoon.model.umctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.undermoon.model.ClusterConfig;
import io.undermoon.model.ClusterName;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.model.Json;
import io.undermoon.model.MigrationConfig;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotHash;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The payload of {@code UMCTL SETCLUSTER v2 <epoch> COMPRESS <data>}: standard, padded base64 of
 * a gzip stream (fast level) of the JSON
 * {@code {"cluster_name", "local": {addr: [SlotRange]}, "peer": {...}, "cluster_config"}}.
 *
 * <p>Decoding is strict and bounded: the four top-level keys are required, every value must have
 * its JSON type (no float for an integer, no null), slots lie in 0..16383, epochs and times in
 * 0..2^63-1, and the inflated JSON may not exceed {@link #MAX_JSON_BYTES}. Unknown keys are
 * ignored, as the reference does. Every failure is {@code InvalidArgs}.
 */
final class CompressedClusterMeta {
    /** Upper bound of the inflated JSON; far above any real cluster (16384 slots). */
    static final int MAX_JSON_BYTES = 16 * 1024 * 1024;

    record Payload(String clusterName, Map<String, List<SlotRange>> local, Map<String, List<SlotRange>> peer,
            ClusterConfig config) {}

    private CompressedClusterMeta() {}

    static String encode(String clusterName, Map<String, List<SlotRange>> local, Map<String, List<SlotRange>> peer,
            ClusterConfig config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("cluster_name", clusterName);
        root.put("local", local);
        root.put("peer", peer);
        root.put("cluster_config", config);
        try {
            byte[] json = Json.mapper().writeValueAsBytes(root);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(json.length / 4 + 64);
            try (GZIPOutputStream gzip = new FastGzipOutputStream(bytes)) {
                gzip.write(json);
            }
            return Base64.getEncoder().encodeToString(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("encoding cluster metadata in memory", e);
        }
    }

    static Payload decode(String data) throws UmctlParseException {
        byte[] compressed;
        try {
            compressed = Base64.getDecoder().decode(data);
        } catch (IllegalArgumentException e) {
            throw UmctlParseException.invalidArgs("compressed metadata is not base64: " + e.getMessage());
        }
        String text = UmctlText.utf8(inflate(compressed))
                .orElseThrow(() -> UmctlParseException.invalidArgs("compressed metadata is not UTF-8"));
        JsonNode root;
        try {
            root = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
        } catch (JsonProcessingException e) {
            throw UmctlParseException.invalidArgs("compressed metadata is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw UmctlParseException.invalidArgs("compressed metadata is not a JSON object");
        }
        String name = text(field(root, "cluster_name"), "cluster_name");
        if (!ClusterName.isValid(name)) {
            throw UmctlParseException.invalidArgs("invalid cluster_name '" + name + "'");
        }
        Map<String, List<SlotRange>> local = nodeMap(field(root, "local"), "local");
        Map<String, List<SlotRange>> peer = nodeMap(field(root, "peer"), "peer");
        ClusterConfig config = clusterConfig(field(root, "cluster_config"));
        return new Payload(name, local, peer, config);
    }

    private static byte[] inflate(byte[] compressed) throws UmctlParseException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(compressed.length * 4L, 64 * 1024));
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (out.size() + n > MAX_JSON_BYTES) {
                    throw UmctlParseException.invalidArgs("compressed metadata inflates beyond " + MAX_JSON_BYTES + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw UmctlParseException.invalidArgs("compressed metadata is not gzip: " + e.getMessage());
        }
    }

    private static Map<String, List<SlotRange>> nodeMap(JsonNode node, String what) throws UmctlParseException {
        if (!node.isObject()) {
            throw UmctlParseException.invalidArgs(what + " is not an object");
        }
        Map<String, List<SlotRange>> map = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode list = entry.getValue();
            if (!list.isArray()) {
                throw UmctlParseException.invalidArgs(what + "." + entry.getKey() + " is not an array");
            }
            List<SlotRange> ranges = new ArrayList<>(list.size());
            for (JsonNode element : list) {
                ranges.add(slotRange(element));
            }
            map.put(entry.getKey(), ranges);
        }
        return map;
    }

    private static SlotRange slotRange(JsonNode node) throws UmctlParseException {
        if (!node.isObject()) {
            throw UmctlParseException.invalidArgs("slot range is not an object");
        }
        JsonNode list = field(node, "range_list");
        if (!list.isArray()) {
            throw UmctlParseException.invalidArgs("range_list is not an array");
        }
        List<Range> ranges = new ArrayList<>(list.size());
        for (JsonNode pair : list) {
            if (!pair.isArray() || pair.size() != 2) {
                throw UmctlParseException.invalidArgs("range is not a [start, end] pair");
            }
            ranges.add(Range.of(slot(pair.get(0)), slot(pair.get(1))));
        }
        return new SlotRange(RangeList.compact(ranges), tag(field(node, "tag")));
    }

    private static int slot(JsonNode node) throws UmctlParseException {
        long value = unsigned(node, "slot");
        if (value >= SlotHash.SLOT_NUM) {
            throw UmctlParseException.invalidArgs("slot " + value + " exceeds " + (SlotHash.SLOT_NUM - 1));
        }
        return (int) value;
    }

    private static SlotRangeTag tag(JsonNode node) throws UmctlParseException {
        if (node.isTextual() && node.textValue().equals("None")) {
            return SlotRangeTag.NONE;
        }
        if (!node.isObject() || node.size() != 1) {
            throw UmctlParseException.invalidArgs("tag is not \"None\", {\"Migrating\": ...} or {\"Importing\": ...}");
        }
        String variant = node.properties().iterator().next().getKey();
        MigrationMeta meta = migrationMeta(node.get(variant));
        return switch (variant) {
            case "Migrating" -> new SlotRangeTag.Migrating(meta);
            case "Importing" -> new SlotRangeTag.Importing(meta);
            default -> throw UmctlParseException.invalidArgs("unknown tag " + variant);
        };
    }

    private static MigrationMeta migrationMeta(JsonNode node) throws UmctlParseException {
        if (!node.isObject()) {
            throw UmctlParseException.invalidArgs("migration meta is not an object");
        }
        return new MigrationMeta(unsigned(field(node, "epoch"), "epoch"),
                text(field(node, "src_proxy_address"), "src_proxy_address"),
                text(field(node, "src_node_address"), "src_node_address"),
                text(field(node, "dst_proxy_address"), "dst_proxy_address"),
                text(field(node, "dst_node_address"), "dst_node_address"));
    }

    private static ClusterConfig clusterConfig(JsonNode node) throws UmctlParseException {
        if (!node.isObject()) {
            throw UmctlParseException.invalidArgs("cluster_config is not an object");
        }
        CompressionStrategy compression = CompressionStrategy.DISABLED;
        JsonNode strategy = node.get("compression_strategy");
        if (strategy != null) {
            String value = text(strategy, "compression_strategy");
            compression = CompressionStrategy.parse(value)
                    .orElseThrow(() -> UmctlParseException.invalidArgs("invalid compression_strategy '" + value + "'"));
        }
        MigrationConfig migration = MigrationConfig.DEFAULT;
        JsonNode m = node.get("migration_config");
        if (m != null) {
            if (!m.isObject()) {
                throw UmctlParseException.invalidArgs("migration_config is not an object");
            }
            long scanCount = unsigned(field(m, "scan_count"), "scan_count");
            if (scanCount == 0) {
                throw UmctlParseException.invalidArgs("scan_count must be greater than 0");
            }
            migration = new MigrationConfig(unsigned(field(m, "max_migration_time"), "max_migration_time"),
                    unsigned(field(m, "max_blocking_time"), "max_blocking_time"),
                    unsigned(field(m, "scan_interval"), "scan_interval"),
                    scanCount);
        }
        String password = "";
        JsonNode pw = node.get("password");
        if (pw != null) {
            password = text(pw, "password");
            if (!ClusterConfig.validPassword(password)) {
                throw UmctlParseException.invalidArgs("invalid password");
            }
        }
        return new ClusterConfig(compression, migration, password);
    }

    private static JsonNode field(JsonNode object, String name) throws UmctlParseException {
        JsonNode value = object.get(name);
        if (value == null) {
            throw UmctlParseException.invalidArgs("missing " + name);
        }
        return value;
    }

    private static String text(JsonNode node, String what) throws UmctlParseException {
        if (!node.isTextual()) {
            throw UmctlParseException.invalidArgs(what + " is not a string");
        }
        return node.textValue();
    }

    private static long unsigned(JsonNode node, String what) throws UmctlParseException {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw UmctlParseException.invalidArgs(what + " is not an integer in 0.." + Long.MAX_VALUE);
        }
        return node.longValue();
    }

    /** gzip at the fastest level, as the reference coordinator writes it. */
    private static final class FastGzipOutputStream extends GZIPOutputStream {
        FastGzipOutputStream(ByteArrayOutputStream out) throws IOException {
            super(out);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
