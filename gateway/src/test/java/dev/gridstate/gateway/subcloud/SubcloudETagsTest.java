package dev.gridstate.gateway.subcloud;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SubcloudETagsTest {

    private static final String TAG = ETags.strong("{\"id\":\"sc-1\"}".getBytes(StandardCharsets.UTF_8));

    @Test
    void shouldGiveEqualBodiesEqualQuotedTagsAndDifferentBodiesDifferentOnes() {
        String same = ETags.strong("{\"id\":\"sc-1\"}".getBytes(StandardCharsets.UTF_8));
        String other = ETags.strong("{\"id\":\"sc-2\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(same).isEqualTo(TAG).matches("\"[0-9a-f]{32}\"");
        assertThat(other).isNotEqualTo(TAG);
    }

    @Test
    void shouldMatchTheTagItselfInAListAWeakFormAndTheWildcard() {
        assertThat(ETags.matches(List.of(TAG), TAG)).isTrue();
        assertThat(ETags.matches(List.of("\"abc\", " + TAG), TAG)).isTrue();
        assertThat(ETags.matches(List.of("\"abc\"", TAG), TAG)).isTrue();
        assertThat(ETags.matches(List.of("W/" + TAG), TAG)).isTrue();
        assertThat(ETags.matches(List.of("*"), TAG)).isTrue();
    }

    @Test
    void shouldNotMatchOtherTagsNoHeaderOrAnUnquotedTag() {
        assertThat(ETags.matches(List.of("\"abc\""), TAG)).isFalse();
        assertThat(ETags.matches(List.of(), TAG)).isFalse();
        assertThat(ETags.matches(List.of(TAG.replace("\"", "")), TAG)).isFalse();
    }
}
