package dev.gridstate.gateway.registry;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;
import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryRequestsTest {

    private static final JsonMapper JSON = JsonMapper.createDefault();

    private static JsonBody body(String json) {
        return JsonBody.parse(JSON, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadAFullRegistration() {
        Registration r = RegistryRequests.registration(body("""
                {"models":[{"name":"llama-3-8b","version":"q4"}],"gpu":{"model":"A100","memoryMb":81920,"freeMemoryMb":100},
                 "labels":{"tier":"gold"},"subclouds":["sc-1"],"state":"busy"}"""));

        assertThat(r.spec().models()).containsExactly(new NodeSpec.Model("llama-3-8b", "q4"));
        assertThat(r.spec().gpu()).isEqualTo(new NodeSpec.Gpu("A100", 81920));
        assertThat(r.spec().labels()).isEqualTo(Map.of("tier", "gold"));
        assertThat(r.spec().subclouds()).isEqualTo(List.of("sc-1"));
        assertThat(r.state()).isEqualTo(NodeState.BUSY);
        assertThat(r.freeMemoryMb()).isEqualTo(100);
    }

    @Test
    void shouldDefaultToIdleWithAllMemoryFree() {
        Registration r = RegistryRequests.registration(body("""
                {"models":[{"name":"m","version":"v"}],"gpu":{"model":"L4","memoryMb":24576}}"""));

        assertThat(r.state()).isEqualTo(NodeState.IDLE);
        assertThat(r.freeMemoryMb()).isEqualTo(24576);
        assertThat(r.spec().labels()).isEmpty();
        assertThat(r.spec().subclouds()).isEmpty();
    }

    @Test
    void shouldNameTheFieldAtFaultByItsJsonPath() {
        assertThatThrownBy(() -> RegistryRequests.batch(body("""
                {"heartbeats":[{"nodeId":"a","state":"idle"},{"nodeId":"b","state":"idle","freeMemoryMb":-1}]}"""), 10))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.field()).isEqualTo("heartbeats[1].freeMemoryMb");
                    assertThat(e.getMessage()).contains("must not be negative, but was -1");
                    assertThat(e.status().getCode()).isEqualTo(400);
                });
    }

    @Test
    void shouldRefuseKeyPartsWithWhitespaceOrSeparators() {
        assertThatThrownBy(() -> RegistryRequests.registration(body("""
                {"models":[{"name":"m@1","version":"v"}],"gpu":{"model":"L4","memoryMb":1}}""")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("models[0].name"));
        assertThatThrownBy(() -> RegistryRequests.registration(body("""
                {"models":[{"name":"m","version":"v"}],"gpu":{"model":"L4","memoryMb":1},"labels":{"a=b":"c"}}""")))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("labels.a=b"));
        assertThatThrownBy(() -> Names.nodeId("has space"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_node_id"));
    }

    @Test
    void shouldRefuseABatchOverTheLimit() {
        assertThatThrownBy(() -> RegistryRequests.batch(body("""
                {"heartbeats":[{"nodeId":"a","state":"idle"},{"nodeId":"b","state":"idle"}]}"""), 1))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                        .isEqualTo("heartbeats holds at most 1 entries, but had 2"));
    }
}
