package dev.gridstate.gateway.api;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * A JSON object from a request, read field by field with the checks an API owes its callers:
 * every refusal is an {@link ApiException} naming the field by its JSON path
 * ({@code gpu.memoryMb}, {@code heartbeats[3].state}) and saying what was wrong with it.
 */
public final class JsonBody {

    private final JsonNode node;
    private final String path;

    private JsonBody(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    public static JsonBody parse(JsonMapper mapper, byte[] body) {
        if (body == null || body.length == 0) {
            throw new ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST, "missing_body", "a JSON object body is required", null);
        }
        JsonNode node;
        try {
            node = mapper.readValue(body, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new ApiException(io.micronaut.http.HttpStatus.BAD_REQUEST, "malformed_json", "the body is not valid JSON", null);
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("$", "the body must be a JSON object");
        }
        return new JsonBody(node, "");
    }

    public boolean has(String name) {
        JsonNode value = node.get(name);
        return value != null && !value.isNull();
    }

    public String string(String name, Pattern pattern) {
        return optionalString(name, pattern, null, true);
    }

    public String optionalString(String name, Pattern pattern, String fallback) {
        return optionalString(name, pattern, fallback, false);
    }

    private String optionalString(String name, Pattern pattern, String fallback, boolean required) {
        JsonNode value = value(name, required);
        if (value == null) {
            return fallback;
        }
        if (!value.isString()) {
            throw ApiException.invalid(at(name), at(name) + " must be a string");
        }
        String s = value.getStringValue();
        if (!pattern.matcher(s).matches()) {
            throw ApiException.invalid(at(name), at(name) + " must match " + pattern + ", but was \"" + Names.abbreviate(s) + "\"");
        }
        return s;
    }

    public long nonNegativeLong(String name) {
        return optionalNonNegativeLong(name, null, true);
    }

    public Long optionalNonNegativeLong(String name) {
        return optionalNonNegativeLong(name, null, false);
    }

    private Long optionalNonNegativeLong(String name, Long fallback, boolean required) {
        JsonNode value = value(name, required);
        if (value == null) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw ApiException.invalid(at(name), at(name) + " must be a number");
        }
        Number n = value.getNumberValue();
        boolean integral = n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte;
        if (!integral) {
            throw ApiException.invalid(at(name), at(name) + " must be a whole number, but was " + n);
        }
        long v = n.longValue();
        if (v < 0) {
            throw ApiException.invalid(at(name), at(name) + " must not be negative, but was " + v);
        }
        return v;
    }

    /** The field's value as it came, any JSON (null when absent or null). */
    public JsonNode raw(String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value;
    }

    public JsonBody object(String name) {
        JsonNode value = value(name, true);
        if (!value.isObject()) {
            throw ApiException.invalid(at(name), at(name) + " must be an object");
        }
        return new JsonBody(value, at(name));
    }

    /** Each element of an array field, read by {@code reader(element, path)}; absent means empty. */
    public <T> List<T> list(String name, int max, BiFunction<JsonBody, String, T> reader) {
        JsonNode value = value(name, false);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw ApiException.invalid(at(name), at(name) + " must be an array");
        }
        if (value.size() > max) {
            throw ApiException.invalid(at(name), at(name) + " holds at most " + max + " entries, but had " + value.size());
        }
        List<T> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            String elementPath = at(name) + "[" + i + "]";
            out.add(reader.apply(new JsonBody(value.get(i), elementPath), elementPath));
        }
        return out;
    }

    /** A string-to-string object; keys and values are checked by their patterns. */
    public Map<String, String> stringMap(String name, int max, Pattern keys, Pattern values) {
        JsonNode value = value(name, false);
        if (value == null) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw ApiException.invalid(at(name), at(name) + " must be an object");
        }
        if (value.size() > max) {
            throw ApiException.invalid(at(name), at(name) + " holds at most " + max + " entries, but had " + value.size());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : value.entries()) {
            String field = at(name) + "." + e.getKey();
            if (!keys.matcher(e.getKey()).matches()) {
                throw ApiException.invalid(field, "label key \"" + Names.abbreviate(e.getKey()) + "\" must match " + keys);
            }
            if (!e.getValue().isString() || !values.matcher(e.getValue().getStringValue()).matches()) {
                throw ApiException.invalid(field, field + " must be a string matching " + values);
            }
            out.put(e.getKey(), e.getValue().getStringValue());
        }
        return out;
    }

    /** This body when it is itself an element to be read as a plain string. */
    public String asString(Pattern pattern) {
        if (!node.isString() || !pattern.matcher(node.getStringValue()).matches()) {
            throw ApiException.invalid(path, path + " must be a string matching " + pattern);
        }
        return node.getStringValue();
    }

    /** This body when it is an element that must be an object. */
    public JsonBody asObject() {
        if (!node.isObject()) {
            throw ApiException.invalid(path, path + " must be an object");
        }
        return this;
    }

    private JsonNode value(String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            if (required) {
                throw ApiException.missing(at(name));
            }
            return null;
        }
        return value;
    }

    private String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

}
