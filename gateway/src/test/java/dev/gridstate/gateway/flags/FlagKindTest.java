package dev.gridstate.gateway.flags;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.state.Keys;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlagKindTest {

    @Test
    void shouldNameTheSameKindsAsTheKeysTheScriptsRead() {
        assertThat(Arrays.stream(FlagKind.values()).map(FlagKind::wire).toList()).isEqualTo(Keys.FLAG_KINDS);
    }

    @Test
    void shouldHideOnlyTheShadowBanFromTheNode() {
        assertThat(Keys.HIDDEN_FLAG_KIND).isEqualTo(FlagKind.SHADOW_BAN.wire());
    }

    @Test
    void shouldRefuseUnknownKindsNamingThem() {
        assertThatThrownBy(() -> FlagKind.parse("vacation"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("flag kind must be one of [pause, cooldown, maintenance, freeze, shadow-ban, quarantine], but was \"vacation\""));
    }
}
