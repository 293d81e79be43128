package io.undermoon.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class RangeListTest {
    private final ObjectMapper json = Json.mapper();

    @Test
    void compaction() {
        assertThat(RangeList.of(new Range(666, 999), Range.of(233, 0)).toString()).isEqualTo("2 0-233 666-999");
        assertThat(RangeList.of(new Range(666, 999), Range.of(999, 0)).toString()).isEqualTo("1 0-999");
        assertThat(RangeList.of(new Range(0, 1365), new Range(1366, 1638), new Range(1639, 2047)).toString())
                .isEqualTo("1 0-2047");
        assertThat(RangeList.of(new Range(0, 997), new Range(999, 1000)).ranges()).hasSize(2);
    }

    @Test
    void jsonForms() throws Exception {
        MigrationMeta meta = new MigrationMeta(3, "p1:1", "n1:1", "p2:2", "n2:2");
        SlotRange r = new SlotRange(RangeList.of(new Range(0, 100), new Range(300, 300)), new SlotRangeTag.Importing(meta));
        String text = json.writeValueAsString(r);
        assertThat(text).isEqualTo("{\"range_list\":[[0,100],[300,300]],\"tag\":{\"Importing\":{\"epoch\":3,"
                + "\"src_proxy_address\":\"p1:1\",\"src_node_address\":\"n1:1\",\"dst_proxy_address\":\"p2:2\","
                + "\"dst_node_address\":\"n2:2\"}}}");
        assertThat(json.readValue(text, SlotRange.class)).isEqualTo(r);
        assertThat(json.writeValueAsString(SlotRange.stable(0, 5))).isEqualTo("{\"range_list\":[[0,5]],\"tag\":\"None\"}");
        assertThat(json.readValue("{\"range_list\":[[0,5]],\"tag\":\"None\"}", SlotRange.class)).isEqualTo(SlotRange.stable(0, 5));
        assertThatThrownBy(() -> json.readValue("{\"range_list\":[[0,5]],\"tag\":\"Nope\"}", SlotRange.class))
                .isInstanceOf(Exception.class);
        assertThatThrownBy(() -> json.readValue("{\"range_list\":[[0,5]]}", SlotRange.class)).isInstanceOf(Exception.class);
    }

    @Test
    void clusterConfigDefaultsAndFlatFields() throws Exception {
        ClusterConfig c = json.readValue("{}", ClusterConfig.class);
        assertThat(c).isEqualTo(ClusterConfig.DEFAULT);
        assertThat(json.writeValueAsString(c)).isEqualTo("{\"compression_strategy\":\"disabled\",\"migration_config\":"
                + "{\"max_migration_time\":10800,\"max_blocking_time\":10000,\"scan_interval\":500,\"scan_count\":16}}");
        assertThatThrownBy(() -> json.readValue("{\"migration_config\":{\"max_migration_time\":1}}", ClusterConfig.class))
                .isInstanceOf(Exception.class);
        ClusterConfig changed = c.withField("COMPRESSION_STRATEGY", "Allow_All").withField("migration_scan_count", "32");
        assertThat(changed.compressionStrategy()).isEqualTo(CompressionStrategy.ALLOW_ALL);
        assertThat(changed.migrationConfig().scanCount()).isEqualTo(32);
        assertThat(changed.toFlatMap().keySet()).containsExactly(ClusterConfig.FLAT_FIELDS);
        assertThatThrownBy(() -> c.withField("migration_scan_count", "0"))
                .isInstanceOfSatisfying(ClusterConfig.InvalidFieldException.class,
                        e -> assertThat(e.error()).isEqualTo(ClusterConfig.FieldError.INVALID_VALUE));
        assertThatThrownBy(() -> c.withField("nope", "1"))
                .isInstanceOfSatisfying(ClusterConfig.InvalidFieldException.class,
                        e -> assertThat(e.error()).isEqualTo(ClusterConfig.FieldError.FIELD_NOT_FOUND));
        assertThat(List.of(ClusterName.isValid("my-db@_1"), ClusterName.isValid("bad name"), ClusterName.isValid("x".repeat(32))))
                .containsExactly(true, false, false);
    }
}
