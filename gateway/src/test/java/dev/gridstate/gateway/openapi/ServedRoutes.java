package dev.gridstate.gateway.openapi;

import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpMethod;
import io.micronaut.inject.ExecutableMethod;
import io.micronaut.management.endpoint.EndpointSensitivityProcessor;
import io.micronaut.management.endpoint.EndpointsFilter;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The routes a running gateway answers, read from its {@link Router}, as the (method, path) pairs
 * an OpenAPI document lists them by. Two kinds of route are not part of the API and are left out:
 * the HEAD twin Micronaut adds to every GET, and management endpoints marked sensitive while
 * Micronaut's own {@link EndpointsFilter} guards them, which refuses them to every caller.
 */
final class ServedRoutes {

    /** {@code {?a,b}} and {@code {&a}}: query variables, which OpenAPI lists as parameters, not in the path. */
    private static final Pattern QUERY_VARIABLES = Pattern.compile("\\{[?&][^}]*}");
    /** {@code {+name}}, {@code {name:regex}}, {@code {name*}}: a path variable with operator or constraint. */
    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{[+#./;]?([A-Za-z0-9_]+)[^}]*}");

    record Route(String method, String path) implements Comparable<Route> {

        @Override
        public int compareTo(Route other) {
            int byPath = path.compareTo(other.path);
            return byPath != 0 ? byPath : method.compareTo(other.method);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    private ServedRoutes() {
    }

    static Set<Route> of(ApplicationContext context) {
        Map<ExecutableMethod, Boolean> sensitive = context.findBean(EndpointsFilter.class).isPresent()
                ? context.getBean(EndpointSensitivityProcessor.class).getEndpointMethods()
                : Map.of();
        Set<Route> routes = new TreeSet<>();
        Set<Route> heads = new TreeSet<>();
        context.getBean(Router.class).uriRoutes()
                .filter(route -> !sensitive.getOrDefault(route.getTargetMethod().getExecutableMethod(), false))
                .forEach(route -> (route.getHttpMethod() == HttpMethod.HEAD ? heads : routes).add(route(route)));
        // A HEAD route with no GET beside it would be one of its own: keep it, so that it must be documented.
        heads.stream().filter(head -> !routes.contains(new Route("GET", head.path()))).forEach(routes::add);
        return routes;
    }

    static String openApiPath(String uriTemplate) {
        String path = PATH_VARIABLE.matcher(QUERY_VARIABLES.matcher(uriTemplate).replaceAll("")).replaceAll("{$1}");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static Route route(UriRouteInfo<?, ?> route) {
        return new Route(route.getHttpMethodName(), openApiPath(route.getUriMatchTemplate().toString()));
    }
}
