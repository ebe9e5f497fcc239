package dev.gridstate.gateway.api;

import io.micronaut.http.HttpStatus;

import java.util.regex.Pattern;

/** Identifiers that come in through URLs, checked the same way on every route. */
public final class Names {

    public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    /** A model name or version: no whitespace and no '@', which separates them in keys. */
    public static final Pattern MODEL_PART = Pattern.compile("[A-Za-z0-9._:/+-]{1,128}");
    /** A label key: no '=', which separates key and value in keys, and no ':', which does in queries. */
    public static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9._/-]{1,63}");
    public static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9._:/+-]{1,128}");

    private Names() {
    }

    public static String nodeId(String value) {
        if (value == null || !NODE_ID.matcher(value).matches()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_node_id",
                    "node id must match " + NODE_ID + ", but was \"" + abbreviate(value) + "\"", "nodeId");
        }
        return value;
    }

    /** A label filter {@code key:value} as {@code [key, value]}; {@code field} names it in the error. */
    public static String[] label(String field, String label) {
        int colon = label.indexOf(':');
        if (colon < 1 || !LABEL_KEY.matcher(label.substring(0, colon)).matches()
                || !LABEL_VALUE.matcher(label.substring(colon + 1)).matches()) {
            throw ApiException.invalid(field, field + " must be key:value, but was \"" + abbreviate(label) + "\"");
        }
        return new String[]{label.substring(0, colon), label.substring(colon + 1)};
    }

    public static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
