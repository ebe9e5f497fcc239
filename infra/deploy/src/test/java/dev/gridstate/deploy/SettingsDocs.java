package dev.gridstate.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a program's settings are written down: the keys of its application.yml, and the settings
 * tables of its part of docs/configuration.md, which also list settings that have no default and so no key (the secrets,
 * {@code replication.regions}). A deployment file that sets anything else sets a typo, or a
 * setting nobody documented: either way its value is not what the program runs with.
 */
final class SettingsDocs {

    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern SEPARATOR = Pattern.compile("\\|?(\\s*:?-+:?\\s*\\|)+\\s*:?-*:?\\s*");

    private SettingsDocs() {
    }

    /** Every leaf key of an application.yml, dotted: {@code redis.servers.regional.uri}. */
    static Set<String> yamlProperties(String yaml) {
        Set<String> properties = new LinkedHashSet<>();
        flatten("", Tree.parse(yaml), properties);
        return properties;
    }

    /**
     * The settings a reference's settings tables name: tables whose first header cell starts with
     * "setting". A short name ({@code flush-interval}) takes the prefix its table's header or the
     * section row above it gives, as {@code (`gateway.replication.*`)}.
     */
    static Set<String> readmeProperties(String markdown) {
        Set<String> properties = new LinkedHashSet<>();
        boolean inTable = false;
        boolean settingsTable = false;
        String tablePrefix = null;
        String prefix = null;
        for (String line : markdown.lines().toList()) {
            if (!line.startsWith("|")) {
                inTable = false;
                continue;
            }
            String first = cells(line).get(0);
            if (!inTable) {
                inTable = true;
                settingsTable = first.toLowerCase(Locale.ROOT).startsWith("setting");
                tablePrefix = prefixIn(first);
                prefix = tablePrefix;
            } else if (settingsTable && !SEPARATOR.matcher(line).matches()) {
                if (first.startsWith("**")) {
                    String section = prefixIn(first);
                    prefix = section != null ? section : tablePrefix;
                    continue;
                }
                Matcher code = CODE.matcher(first);
                while (code.find()) {
                    String name = code.group(1).trim();
                    if (name.contains(".")) {
                        properties.add(name);
                    } else if (prefix != null) {
                        properties.add(prefix + "." + name);
                    }
                }
            }
        }
        return properties;
    }

    /**
     * The lines of {@code markdown} from the level-1 heading {@code heading} to the next level-1
     * heading; fails when there is no such heading, so a renamed part cannot empty the check.
     */
    static String part(String markdown, String heading) {
        List<String> lines = markdown.lines().toList();
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new AssertionError("the settings reference has no part '" + heading + "'");
        }
        int end = start + 1;
        while (end < lines.size() && !lines.get(end).startsWith("# ")) {
            end++;
        }
        return String.join("\n", lines.subList(start, end));
    }

    /** A property's environment form, as Micronaut maps it back: {@code gateway.store.open-for} → {@code GATEWAY_STORE_OPEN_FOR}. */
    static String variable(String property) {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static List<String> cells(String row) {
        String inner = row.strip();
        inner = inner.substring(1, inner.endsWith("|") && inner.length() > 1 ? inner.length() - 1 : inner.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    /** {@code x.y} from a cell holding {@code `x.y.*`}, or null. */
    private static String prefixIn(String cell) {
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            if (code.group(1).endsWith(".*")) {
                return code.group(1).substring(0, code.group(1).length() - 2);
            }
        }
        return null;
    }

    private static void flatten(String path, Object node, Set<String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(path.isEmpty() ? String.valueOf(key) : path + "." + key, value, into));
        } else if (!path.isEmpty()) {
            into.add(path);
        }
    }
}
