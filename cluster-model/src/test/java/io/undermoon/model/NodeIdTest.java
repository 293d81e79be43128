package io.undermoon.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeIdTest {

    @Test
    void crc64CheckValue() {
        assertThat(Long.toHexString(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("e9c6d914c4b8d9ca");
    }

    @Test
    void nodeIdsFromTheSpec() {
        assertThat(NodeId.of("testcluster", "127.0.0.1:5299")).isEqualTo("testcluster_____________9f8fca2805923328");
        assertThat(NodeId.of("mydb", "127.0.0.1:7000")).isEqualTo("mydb____________________d458dd9b55cc9ad9");
        assertThat(NodeId.of("mydb", "127.0.0.1:5029")).isEqualTo("mydb____________________fb9aedaf264950b_");
        assertThat(NodeId.of("testcluster", "x".repeat(50))).isEqualTo("testcluster_____________a744988af9aa86ed");
        assertThat(NodeId.of("", "127.0.0.1:5299")).startsWith("_".repeat(24)).hasSize(40);
        assertThat(NodeId.of("a_cluster_name_of_30_chars_xxx", "127.0.0.1:1")).hasSize(40);
    }
}
