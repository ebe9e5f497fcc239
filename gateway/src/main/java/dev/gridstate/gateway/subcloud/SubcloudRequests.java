package dev.gridstate.gateway.subcloud;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.JsonBody;
import dev.gridstate.gateway.api.Names;
import io.micronaut.http.HttpStatus;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads and checks Subcloud requests. Subcloud ids, member (node) ids and client ids all end up
 * in Redis keys or space-separated lists, so none may hold whitespace.
 */
final class SubcloudRequests {

    /** Subcloud ids; members are node ids ({@link Names#NODE_ID}). */
    static final Pattern SUBCLOUD_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** Any text without control characters. */
    static final Pattern NAME = Pattern.compile("[^\\p{Cntrl}]{1,256}");
    static final int MAX_MEMBERS = 10_000;
    static final int MAX_CLIENTS = 1_000;

    private SubcloudRequests() {
    }

    static String subcloudId(String value) {
        if (value == null || !SUBCLOUD_ID.matcher(value).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_subcloud_id",
                    "subcloud id must match " + SUBCLOUD_ID + ", but was \"" + Names.abbreviate(value) + "\"", "subcloudId");
        }
        return value;
    }

    /** The {@code client} of {@code GET /v1/subclouds?client=…}; no other parameter is known. */
    static String client(Map<String, String> params) {
        for (String name : params.keySet()) {
            if (!name.equals("client")) {
                throw ApiException.invalid(name, "unknown query parameter " + name + "; known: [client]");
            }
        }
        String client = params.get("client");
        if (client == null) {
            throw ApiException.missing("client");
        }
        if (!CLIENT_ID.matcher(client).matches()) {
            throw ApiException.invalid("client",
                    "client must match " + CLIENT_ID + ", but was \"" + Names.abbreviate(client) + "\"");
        }
        return client;
    }

    static Definition definition(JsonBody body) {
        String name = body.string("name", NAME);
        List<String> members = ids(body, "members", MAX_MEMBERS, Names.NODE_ID);
        List<String> clients = ids(body, "clients", MAX_CLIENTS, CLIENT_ID);
        return new Definition(name, members, clients);
    }

    /** A required array of distinct ids; a repeated id is refused rather than silently dropped. */
    private static List<String> ids(JsonBody body, String field, int max, Pattern pattern) {
        if (!body.has(field)) {
            throw ApiException.missing(field);
        }
        List<String> ids = body.list(field, max, (element, path) -> element.asString(pattern));
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            Integer first = seen.putIfAbsent(ids.get(i), i);
            if (first != null) {
                throw ApiException.invalid(field + "[" + i + "]", field + "[" + i + "] repeats " + field + "["
                        + first + "] (\"" + ids.get(i) + "\")");
            }
        }
        return ids;
    }
}
