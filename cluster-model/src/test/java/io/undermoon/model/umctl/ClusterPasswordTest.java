package io.undermoon.model.umctl;

import static io.undermoon.model.umctl.Tokens.split;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undermoon.model.ClusterConfig;
import io.undermoon.model.Json;
import io.undermoon.model.SlotRange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The cluster password (our extension): validation, JSON, and both SETCLUSTER forms. */
class ClusterPasswordTest {

    private static ClusterConfig withPassword(String p) throws ClusterConfig.InvalidFieldException {
        return ClusterConfig.DEFAULT.withField("password", p);
    }

    @Test
    void absentByDefaultAndInvisibleWhenUnset() throws Exception {
        assertThat(ClusterConfig.DEFAULT.hasPassword()).isFalse();
        assertThat(ClusterConfig.DEFAULT.toFlatMap()).doesNotContainKey("password");
        assertThat(Json.mapper().writeValueAsString(ClusterConfig.DEFAULT)).doesNotContain("password");
        // setting the empty string clears it
        assertThat(withPassword("s3cret").withField("password", "")).isEqualTo(ClusterConfig.DEFAULT);
    }

    @Test
    void setPasswordTravelsInJsonAndTheFlatMap() throws Exception {
        ClusterConfig c = withPassword("s3cret!#");
        assertThat(c.toFlatMap()).containsEntry("password", "s3cret!#");
        String json = Json.mapper().writeValueAsString(c);
        assertThat(json).endsWith(",\"password\":\"s3cret!#\"}");
        assertThat(Json.mapper().readValue(json, ClusterConfig.class)).isEqualTo(c);
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "tab\there", "PEER", "config", "ünï"})
    void invalidPasswordsAreRefusedWithoutEchoingThem(String bad) {
        assertThatThrownBy(() -> withPassword(bad)).isInstanceOf(ClusterConfig.InvalidFieldException.class)
                .satisfies(e -> assertThat(((ClusterConfig.InvalidFieldException) e).value()).isEqualTo("<hidden>"))
                .hasMessageNotContaining(bad);
        assertThatThrownBy(() -> withPassword("x".repeat(ClusterConfig.MAX_PASSWORD_LENGTH + 1)))
                .isInstanceOf(ClusterConfig.InvalidFieldException.class);
    }

    @Test
    void plainAndCompressedSetClusterCarryIt() throws Exception {
        SetClusterArgs built = SetClusterArgs.of(5, "mycluster", Map.of("127.0.0.1:7001", List.of(SlotRange.stable(0, 16383))),
                Map.of(), withPassword("pw-1"));
        List<String> tokens = built.toTokens();
        assertThat(String.join(" ", tokens)).endsWith("migration_scan_count 16 password pw-1");
        assertThat(SetClusterArgs.parseStrings(tokens)).isEqualTo(built);
        assertThat(SetClusterArgs.parseStrings(built.toCompressedTokens()).clusterConfig().password()).isEqualTo("pw-1");
        // a keyword where the password should be is not taken for one
        assertThatThrownBy(() -> SetClusterArgs.parseStrings(split("v2 5 NOFLAG mycluster 127.0.0.1:7001 1 0-16383 CONFIG password PEER")))
                .isInstanceOf(UmctlParseException.class);
    }
}
