package dev.gridstate.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The promise every refusal keeps: the status, the JSON error shape, the field, no stack trace. */
public final class Refusals {

    private Refusals() {
    }

    public static void assertClearError(Http.Answer answer, int status, String error, String field) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        JsonNode json = answer.json();
        assertThat(json.get("error").asText()).isEqualTo(error);
        assertThat(json.get("message").asText()).isNotBlank();
        if (field == null) {
            assertThat(json.has("field")).as(answer.body()).isFalse();
        } else {
            assertThat(json.get("field").asText()).as(answer.body()).isEqualTo(field);
        }
        assertThat(answer.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
