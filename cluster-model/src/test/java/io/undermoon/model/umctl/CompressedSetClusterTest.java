package io.undermoon.model.umctl;

import static io.undermoon.model.umctl.Tokens.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.CompressionStrategy;
import io.undermoon.model.MigrationConfig;
import io.undermoon.model.MigrationMeta;
import io.undermoon.model.Range;
import io.undermoon.model.RangeList;
import io.undermoon.model.SlotRange;
import io.undermoon.model.SlotRangeTag;
import io.undermoon.model.umctl.UmctlParseException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CompressedSetClusterTest {

    /** The JSON example of proxy.md §6.1, verbatim. */
    private static final String SPEC_JSON = """
            {"cluster_name":"mydb",
             "local":{"127.0.0.1:6379":[{"range_list":[[0,8000]],"tag":"None"}]},
             "peer":{"127.0.0.1:7000":[{"range_list":[[8001,16383]],"tag":{"Importing":{"epoch":3,"src_proxy_address":"...","src_node_address":"...","dst_proxy_address":"...","dst_node_address":"..."}}}]},
             "cluster_config":{"compression_strategy":"disabled","migration_config":{"max_migration_time":10800,"max_blocking_time":10000,"scan_interval":500,"scan_count":16}}}
            """;

    private static final String MIN_JSON_HEAD = "{\"cluster_name\":\"c\",\"local\":{},\"peer\":{},\"cluster_config\":";

    static String pack(String json) {
        return pack(json.getBytes(StandardCharsets.UTF_8));
    }

    static String pack(byte[] json) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(json);
            }
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String unpack(String data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(data)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static SetClusterArgs parseCompressed(String data) throws UmctlParseException {
        return SetClusterArgs.parseStrings(List.of("v2", "3", "COMPRESS", data));
    }

    @Test
    void specJsonExampleParses() throws Exception {
        SetClusterArgs meta = parseCompressed(pack(SPEC_JSON));

        assertThat(meta.epoch()).isEqualTo(3);
        assertThat(meta.flags()).isEqualTo(new UmctlFlags(false, true));
        assertThat(meta.clusterName()).isEqualTo("mydb");
        assertThat(meta.local()).isEqualTo(Map.of("127.0.0.1:6379", List.of(SlotRange.stable(0, 8000))));
        MigrationMeta dots = new MigrationMeta(3, "...", "...", "...", "...");
        assertThat(meta.peer()).isEqualTo(Map.of("127.0.0.1:7000", List.of(
                new SlotRange(RangeList.of(new Range(8001, 16383)), new SlotRangeTag.Importing(dots)))));
        assertThat(meta.clusterConfig()).isEqualTo(ClusterConfig.DEFAULT);
        assertThat(meta.configIgnored()).isFalse();
    }

    @Test
    void encodesTheExactJsonShapeIncludingEmptyLists() throws Exception {
        MigrationMeta m = new MigrationMeta(9, "p1:1", "n1:1", "p2:2", "n2:2");
        SetClusterArgs meta = SetClusterArgs.of(9, "mycluster",
                Map.of("127.0.0.1:7001", List.of(SlotRange.stable(0, 100),
                                new SlotRange(RangeList.of(new Range(101, 200)), new SlotRangeTag.Migrating(m))),
                        "127.0.0.1:7003", List.of()),
                Map.of("127.0.0.1:6002", List.of()),
                new ClusterConfig(CompressionStrategy.SET_GET_ONLY, new MigrationConfig(1, 2, 3, 4)));

        List<String> tokens = meta.toCompressedTokens();

        assertThat(tokens).hasSize(4);
        assertThat(tokens.subList(0, 3)).containsExactly("v2", "9", "COMPRESS");
        assertThat(tokens.get(3)).matches("[A-Za-z0-9+/]+=*");
        assertThat(unpack(tokens.get(3))).isEqualTo("{\"cluster_name\":\"mycluster\","
                + "\"local\":{\"127.0.0.1:7001\":[{\"range_list\":[[0,100]],\"tag\":\"None\"},"
                + "{\"range_list\":[[101,200]],\"tag\":{\"Migrating\":{\"epoch\":9,\"src_proxy_address\":\"p1:1\","
                + "\"src_node_address\":\"n1:1\",\"dst_proxy_address\":\"p2:2\",\"dst_node_address\":\"n2:2\"}}}],"
                + "\"127.0.0.1:7003\":[]},"
                + "\"peer\":{\"127.0.0.1:6002\":[]},"
                + "\"cluster_config\":{\"compression_strategy\":\"set_get_only\",\"migration_config\":"
                + "{\"max_migration_time\":1,\"max_blocking_time\":2,\"scan_interval\":3,\"scan_count\":4}}}");
        assertThat(SetClusterArgs.parseStrings(tokens)).isEqualTo(meta.withFlags(new UmctlFlags(false, true)));
    }

    @Test
    void freeProxyAndForceInTheCompressedForm() throws Exception {
        SetClusterArgs free = new SetClusterArgs(7, new UmctlFlags(true, false), "", Map.of(), Map.of(),
                ClusterConfig.DEFAULT, false);

        List<String> tokens = free.toCompressedTokens();

        assertThat(tokens.get(2)).isEqualTo("FORCE,COMPRESS");
        assertThat(unpack(tokens.get(3))).startsWith("{\"cluster_name\":\"\",\"local\":{},\"peer\":{},");
        assertThat(SetClusterArgs.parseStrings(tokens)).isEqualTo(free.withFlags(new UmctlFlags(true, true)));
        assertThat(free.withFlags(new UmctlFlags(true, true)).toTokens().get(2)).isEqualTo("FORCE");
    }

    @Test
    void lenientWhereTheReferenceIsLenient() throws Exception {
        String json = "{\"cluster_name\":\"c\",\"extra\":1,\"local\":{\"a:1\":[{\"range_list\":[[9,0],[10,20]],"
                + "\"tag\":\"None\",\"x\":true}]},\"peer\":{},\"cluster_config\":{\"compression_strategy\":\"ALLOW_ALL\"}}";
        SetClusterArgs meta = SetClusterArgs.parseStrings(List.of("v2", "3", "compress", pack(json), "ignored", "tokens"));

        assertThat(meta.local().get("a:1")).containsExactly(SlotRange.stable(0, 20));
        assertThat(meta.clusterConfig()).isEqualTo(new ClusterConfig(CompressionStrategy.ALLOW_ALL, MigrationConfig.DEFAULT));
        String unpadded = pack(SPEC_JSON).replace("=", "");
        assertThat(parseCompressed(unpadded).clusterName()).isEqualTo("mydb");
        assertThat(parseCompressed(pack(MIN_JSON_HEAD + "{}}")).clusterConfig()).isEqualTo(ClusterConfig.DEFAULT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "!!!!", "not base64 at all", "AAAA", "aGVsbG8gd29ybGQ="})
    void garbageBase64OrGzipIsInvalidArgs(String data) {
        assertFails(Reason.InvalidArgs, () -> parseCompressed(data));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "not json", "[]", "null", "42", "{}",
        "{\"cluster_name\":\"c\",\"local\":{},\"peer\":{}}",
        "{\"cluster_name\":\"c\",\"local\":{},\"cluster_config\":{}}",
        "{\"local\":{},\"peer\":{},\"cluster_config\":{}}",
        "{\"cluster_name\":\"bad name\",\"local\":{},\"peer\":{},\"cluster_config\":{}}",
        "{\"cluster_name\":null,\"local\":{},\"peer\":{},\"cluster_config\":{}}",
        "{\"cluster_name\":\"c\",\"local\":[],\"peer\":{},\"cluster_config\":{}}",
        "{\"cluster_name\":\"c\",\"local\":{\"a:1\":null},\"peer\":{},\"cluster_config\":{}}",
        "{\"cluster_name\":\"c\",\"local\":{\"a:1\":[null]},\"peer\":{},\"cluster_config\":{}}",
        "{\"cluster_name\":\"c\",\"local\":{\"PEER\":[]},\"peer\":{},\"cluster_config\":{}}",
        "{\"cluster_name\":\"c\",\"local\":{},\"peer\":{},\"cluster_config\":null}",
        "{\"cluster_name\":\"c\",\"local\":{},\"peer\":{},\"cluster_config\":{}} trailing",
        "{\"cluster_name\":\"c\",\"local\":{},\"peer\":{},\"cluster_config\":{}",
    })
    void badJsonIsInvalidArgs(String json) {
        assertFails(Reason.InvalidArgs, () -> parseCompressed(pack(json)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[[0,16384]]", "[[0.5,1]]", "[[1]]", "[[1,2,3]]", "[[-1,2]]", "[[\"1\",2]]", "[[null,2]]", "[1,2]", "{}", "null",
    })
    void badRangeListsAreInvalidArgs(String rangeList) {
        String json = "{\"cluster_name\":\"c\",\"local\":{\"a:1\":[{\"range_list\":" + rangeList
                + ",\"tag\":\"None\"}]},\"peer\":{},\"cluster_config\":{}}";
        assertFails(Reason.InvalidArgs, () -> parseCompressed(pack(json)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\"Nope\"", "\"none\"", "null", "{}", "{\"Moving\":%s}", "{\"Migrating\":%s,\"Importing\":%s}",
        "{\"Migrating\":null}", "{\"Importing\":{\"epoch\":1}}",
        "{\"Importing\":{\"epoch\":-1,\"src_proxy_address\":\"a\",\"src_node_address\":\"b\",\"dst_proxy_address\":\"c\",\"dst_node_address\":\"d\"}}",
        "{\"Importing\":{\"epoch\":1.5,\"src_proxy_address\":\"a\",\"src_node_address\":\"b\",\"dst_proxy_address\":\"c\",\"dst_node_address\":\"d\"}}",
        "{\"Importing\":{\"epoch\":18446744073709551615,\"src_proxy_address\":\"a\",\"src_node_address\":\"b\",\"dst_proxy_address\":\"c\",\"dst_node_address\":\"d\"}}",
        "{\"Importing\":{\"epoch\":1,\"src_proxy_address\":2,\"src_node_address\":\"b\",\"dst_proxy_address\":\"c\",\"dst_node_address\":\"d\"}}",
    })
    void badTagsAreInvalidArgs(String tagTemplate) {
        String meta = "{\"epoch\":1,\"src_proxy_address\":\"a\",\"src_node_address\":\"b\",\"dst_proxy_address\":\"c\","
                + "\"dst_node_address\":\"d\"}";
        String tag = tagTemplate.replace("%s", meta);
        String json = "{\"cluster_name\":\"c\",\"local\":{\"a:1\":[{\"range_list\":[[0,1]],\"tag\":" + tag
                + "}]},\"peer\":{},\"cluster_config\":{}}";
        assertFails(Reason.InvalidArgs, () -> parseCompressed(pack(json)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"compression_strategy\":\"lz4\"}", "{\"compression_strategy\":1}", "{\"compression_strategy\":null}",
        "{\"migration_config\":{\"max_migration_time\":1}}", "{\"migration_config\":null}", "{\"migration_config\":[]}",
        "{\"migration_config\":{\"max_migration_time\":1,\"max_blocking_time\":2,\"scan_interval\":3,\"scan_count\":0}}",
        "{\"migration_config\":{\"max_migration_time\":-1,\"max_blocking_time\":2,\"scan_interval\":3,\"scan_count\":4}}",
        "{\"migration_config\":{\"max_migration_time\":\"1\",\"max_blocking_time\":2,\"scan_interval\":3,\"scan_count\":4}}",
        "[]",
    })
    void badClusterConfigIsInvalidArgs(String config) {
        assertFails(Reason.InvalidArgs, () -> parseCompressed(pack(MIN_JSON_HEAD + config + "}")));
    }

    @Test
    void notUtf8JsonIsInvalidArgs() {
        byte[] json = (MIN_JSON_HEAD + "{}}").getBytes(StandardCharsets.UTF_8);
        json[18] = (byte) 0xff;
        assertFails(Reason.InvalidArgs, () -> parseCompressed(pack(json)));
    }

    @Test
    void inflatedJsonBeyondTheLimitIsRefusedEvenWhenValid() throws Exception {
        String small = MIN_JSON_HEAD + "{}}";
        String padded = small + " ".repeat(CompressedClusterMeta.MAX_JSON_BYTES - small.length());
        assertThat(parseCompressed(pack(padded)).clusterName()).isEqualTo("c");

        String bomb = pack(padded + " ");
        assertThat(bomb.length()).isLessThan(100_000);
        assertFails(Reason.InvalidArgs, () -> parseCompressed(bomb));
    }

    @Test
    void truncatedGzipIsInvalidArgs() {
        byte[] whole = Base64.getDecoder().decode(pack(SPEC_JSON));
        byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertFails(Reason.InvalidArgs, () -> parseCompressed(Base64.getEncoder().encodeToString(half)));
    }
}
