package dev.gridstate.deploy;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parsed YAML (and JSON, which is YAML) as plain maps and lists, and a way down it that treats
 * an absent node as empty: the checks say what is missing instead of throwing.
 */
final class Tree {

    private Tree() {
    }

    static List<Object> parseAll(String yaml) {
        List<Object> documents = new ArrayList<>();
        for (Object document : new Yaml(new LoaderOptions()).loadAll(yaml)) {
            if (document != null) {
                documents.add(document);
            }
        }
        return documents;
    }

    static Object parse(String yaml) {
        return new Yaml(new LoaderOptions()).load(yaml);
    }

    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node, String... path) {
        return at(node, path) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node, String... path) {
        return at(node, path) instanceof List<?> list ? (List<Object>) list : List.of();
    }

    static List<Map<String, Object>> maps(Object node, String... path) {
        List<Map<String, Object>> maps = new ArrayList<>();
        for (Object item : list(node, path)) {
            maps.add(map(item));
        }
        return maps;
    }

    /** A scalar as text (YAML may have read {@code 8080} as a number), or null when absent. */
    static String string(Object node, String... path) {
        Object value = at(node, path);
        return value == null || value instanceof Map || value instanceof List ? null : String.valueOf(value);
    }

    static List<String> strings(Object node, String... path) {
        return list(node, path).stream().map(String::valueOf).toList();
    }
}
