package dev.gridstate.testkit.toxiproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ToxicTest {

    @Test
    void shouldReadToxicTypeByItsToxiproxyName() {
        assertThat(ToxicType.fromWire("reset_peer")).isEqualTo(ToxicType.RESET_PEER);
        assertThat(ToxicType.LIMIT_DATA.wireName()).isEqualTo("limit_data");
    }

    @Test
    void shouldRefuseUnknownToxicTypeNamingIt() {
        assertThatThrownBy(() -> ToxicType.fromWire("blackhole"))
                .isInstanceOf(ToxiproxyApiException.class)
                .hasMessageContaining("'blackhole' is not supported");
    }

    @Test
    void shouldRefuseToxicityAboveOneNamingTheToxic() {
        assertThatThrownBy(() -> new Toxic("slow", ToxicType.LATENCY, Toxic.Stream.DOWNSTREAM, 1.5, Map.of()))
                .isInstanceOf(ToxiproxyApiException.class)
                .hasMessage("toxicity of toxic 'slow' must be between 0 and 1, but was 1.5");
    }

    @Test
    void shouldAnswerZeroForMissingAttribute() {
        Toxic toxic = new Toxic("slow", ToxicType.LATENCY, Toxic.Stream.UPSTREAM, 1, Map.of("latency", 50L));

        assertThat(toxic.attribute("jitter")).isZero();
        assertThat(toxic.millis("latency").toMillis()).isEqualTo(50);
    }

    @Test
    void shouldRefuseUnknownStream() {
        assertThatThrownBy(() -> Toxic.Stream.fromWire("sideways"))
                .isInstanceOf(ToxiproxyApiException.class)
                .hasMessageContaining("'sideways'");
    }

    @Test
    void shouldParseAddressAndRefuseOneWithoutPort() {
        assertThat(ProxyListener.Address.parse("localhost:6379"))
                .isEqualTo(new ProxyListener.Address("localhost", 6379));
        assertThatThrownBy(() -> ProxyListener.Address.parse("localhost"))
                .isInstanceOf(ToxiproxyApiException.class)
                .hasMessage("address must be host:port, but was 'localhost'");
    }
}
