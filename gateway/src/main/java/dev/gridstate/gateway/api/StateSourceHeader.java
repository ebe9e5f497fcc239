package dev.gridstate.gateway.api;

import dev.gridstate.gateway.store.Source;
import dev.gridstate.gateway.store.StateStore;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Says where an answer's state came from ({@code X-State-Source: regional|central}) on every answer that read or wrote state. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
class StateSourceHeader {

    /** Not on a 5xx: the answer did not come from the state, even if one of its calls did. */
    @ResponseFilter
    void name(HttpRequest<?> request, MutableHttpResponse<?> response) {
        if (response.code() < 500) {
            request.getAttribute(StateStore.SOURCE_ATTRIBUTE, Source.class)
                    .ifPresent(source -> response.header(Source.HEADER, source.wire()));
        }
    }
}
