package dev.gridstate.gateway.ops;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import org.reactivestreams.Publisher;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id: the caller's {@code X-Request-Id} when it is a sane token (a load
 * balancer's or a client's, so one id follows a request through every hop), else a new UUID. It
 * is in the MDC as {@code requestId} for every log line the request causes, on whatever thread,
 * and in the answer's {@code X-Request-Id}, so a client's report can be found in the logs.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
class RequestIdFilter implements HttpServerFilter {

    static final String HEADER = "X-Request-Id";
    static final String MDC_KEY = "requestId";
    /** Long enough for any tracing id, short and plain enough that a log line cannot be forged with it. */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        String given = request.getHeaders().get(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        try (PropagatedContext.Scope ignored = PropagatedContext.getOrEmpty()
                .plus(new MdcPropagationContext(Map.of(MDC_KEY, id))).propagate()) {
            return Publishers.map(chain.proceed(request), response -> response.header(HEADER, id));
        }
    }

    @Override
    public int getOrder() {
        // Before every other filter (the auth filters log refusals), so their lines carry it too.
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
