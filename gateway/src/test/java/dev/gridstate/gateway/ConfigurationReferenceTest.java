package dev.gridstate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md against what the processes really read: the settings Micronaut's
 * annotation processor lists for each {@code @ConfigurationProperties} record (with the code's
 * defaults), the keys of each application.yml (with the values the jar runs with), and the names
 * read with {@code @Value} or {@code @Requires(property)}. Each is a row of the doc's part for
 * that process, {@code | `name` | `default` | …}, whose default column starts with the default
 * in backticks ("none" when there is none).
 */
class ConfigurationReferenceTest {

    private static final Path DOC = Path.of("../docs/configuration.md");
    private static final String BUILD_REPLICATOR = "./mvnw -o -q -pl replication -DskipTests package";
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|(.*)$");
    private static final Pattern CODE = Pattern.compile("`([^`]*)`");
    private static final Pattern ENVIRONMENT_VARIABLE = Pattern.compile("`([A-Z][A-Z0-9_]*)`");
    private static final Pattern VALUE = Pattern.compile("@Value\\(\"\\$\\{([a-z0-9.-]+)");
    private static final Pattern VALUE_FROM_CONSTANT = Pattern.compile("@Value\\(\"\\$\\{\" \\+ ([A-Z0-9_]+)");
    private static final Pattern REQUIRES = Pattern.compile("@Requires\\(property = \"([a-z0-9.-]+)\"");

    /** One process: where its settings are declared, and the part of the doc about it. */
    enum Process {
        GATEWAY("# Gateway", "target/classes", "src/main/resources/application.yml", "src/main/java"),
        REPLICATOR("# Replicator", "../replication/target/classes", "../replication/src/main/resources/application.yml",
                "../replication/src/main/java");

        final String heading;
        final Path metadata;
        final Path applicationYml;
        final Path sources;

        Process(String heading, String classes, String applicationYml, String sources) {
            this.heading = heading;
            // Path, not the classpath: every Micronaut jar carries a file of this name too.
            this.metadata = Path.of(classes, "META-INF", "spring-configuration-metadata.json");
            this.applicationYml = Path.of(applicationYml);
            this.sources = Path.of(sources);
        }
    }

    record Row(String name, String defaultCell, List<String> cells) {
    }

    @ParameterizedTest
    @EnumSource(Process.class)
    void shouldDocumentEverySettingTheProcessReads(Process process) throws IOException {
        TreeSet<String> declared = new TreeSet<>(metadata(process).keySet());
        declared.addAll(applicationYml(process).keySet());
        declared.addAll(readInCode(process));

        declared.removeAll(rows(process).keySet());

        assertThat(declared)
                .as("docs/configuration.md, part '%s', needs a row `| `name` | `default` | … |` for each of:%n  %s",
                        process.heading, String.join("\n  ", declared))
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Process.class)
    void shouldStateTheDefaultTheProcessRunsWith(Process process) throws IOException {
        Map<String, String> code = new TreeMap<>(metadata(process));
        code.values().removeIf(String::isEmpty);
        Map<String, String> yml = applicationYml(process);
        Map<String, String> expected = new TreeMap<>(code);
        expected.putAll(yml);
        Map<String, Row> rows = rows(process);

        List<String> wrong = new ArrayList<>();
        expected.forEach((name, value) -> {
            Row row = rows.get(name);
            if (row == null) {
                return; // reported by the test above
            }
            String stated = firstCode(row.defaultCell());
            String source = yml.containsKey(name) ? "application.yml" : "the code";
            if (!value.equals(stated)) {
                wrong.add(name + ": the doc says " + (stated == null ? "'" + row.defaultCell().strip() + "'" : "`" + stated + "`")
                        + ", " + source + " sets `" + value + "`");
            } else if (code.containsKey(name) && !code.get(name).equals(value)
                    && !codeSpans(row.defaultCell()).contains(code.get(name))) {
                wrong.add(name + ": application.yml overrides the code's `" + code.get(name) + "`; the doc shows only `" + value + "`");
            }
        });

        assertThat(wrong)
                .as("docs/configuration.md, part '%s': the default column must start with the default in backticks:%n  %s",
                        process.heading, String.join("\n  ", wrong))
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Process.class)
    void shouldShowTheEnvironmentVariableMicronautMapsToTheSetting(Process process) throws IOException {
        List<String> wrong = new ArrayList<>();
        for (Row row : rows(process).values()) {
            if (row.cells().size() < 2) {
                continue;
            }
            Matcher shown = ENVIRONMENT_VARIABLE.matcher(row.cells().get(1).strip());
            String mapped = row.name().toUpperCase().replace('.', '_').replace('-', '_');
            if (shown.matches() && !shown.group(1).equals(mapped)) {
                wrong.add(row.name() + ": shows " + shown.group(1) + ", Micronaut maps " + mapped);
            }
        }

        assertThat(wrong).as("environment variables in part '%s':%n  %s", process.heading, String.join("\n  ", wrong))
                .isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Process.class)
    void shouldHaveOneRowPerSetting(Process process) throws IOException {
        Map<String, Long> counts = rowLines(process).stream()
                .collect(Collectors.groupingBy(Row::name, TreeMap::new, Collectors.counting()));
        counts.values().removeIf(n -> n == 1);

        assertThat(counts).as("settings with more than one row in part '%s'", process.heading).isEmpty();
    }

    /** The code's settings and their defaults ({@code @Bindable(defaultValue)}); "" where there is none. */
    private static Map<String, String> metadata(Process process) throws IOException {
        assertThat(process.metadata)
                .as("%s is written when the module compiles (for the replicator: %s)", process.metadata, BUILD_REPLICATOR)
                .isRegularFile();
        Map<String, String> settings = new TreeMap<>();
        for (JsonNode property : new ObjectMapper().readTree(process.metadata.toFile()).path("properties")) {
            settings.put(property.path("name").asText(), property.path("defaultValue").asText("").strip());
        }
        return settings;
    }

    /** Every leaf of application.yml as a dotted name, with its value as written. */
    private static Map<String, String> applicationYml(Process process) throws IOException {
        LoaderOptions options = new LoaderOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new Resolver() {
                    @Override
                    protected void addImplicitResolvers() {
                        // every scalar stays the text written: `0.0001`, not 1.0E-4
                    }
                });
        try (Reader reader = Files.newBufferedReader(process.applicationYml)) {
            Map<String, String> leaves = new TreeMap<>();
            flatten("", yaml.load(reader), leaves);
            return leaves;
        }
    }

    private static void flatten(String prefix, Object node, Map<String, String> into) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> flatten(prefix.isEmpty() ? key.toString() : prefix + "." + key, value, into));
        } else if (node instanceof List<?> list) {
            into.put(prefix, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
        } else {
            into.put(prefix, String.valueOf(node));
        }
    }

    /** Names read with {@code @Value("${…}")} (a literal or a constant of the same file) or {@code @Requires(property)}. */
    private static List<String> readInCode(Process process) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(process.sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String source = Files.readString(file);
                for (Pattern literal : List.of(VALUE, REQUIRES)) {
                    literal.matcher(source).results().forEach(m -> names.add(m.group(1)));
                }
                VALUE_FROM_CONSTANT.matcher(source).results().forEach(m -> {
                    Matcher constant = Pattern.compile(m.group(1) + " = \"([a-z0-9.-]+)\"").matcher(source);
                    assertThat(constant.find()).as("%s: the constant %s of an @Value", file, m.group(1)).isTrue();
                    names.add(constant.group(1));
                });
            }
        }
        return names;
    }

    private static Map<String, Row> rows(Process process) throws IOException {
        Map<String, Row> rows = new TreeMap<>();
        rowLines(process).forEach(row -> rows.putIfAbsent(row.name(), row));
        return rows;
    }

    /** The table rows of the doc's part about {@code process}: from its heading to the next top-level one. */
    private static List<Row> rowLines(Process process) throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf(process.heading);
        assertThat(start).as("%s has a heading '%s'", DOC, process.heading).isNotNegative();
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("# ")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                List<String> cells = List.of(row.group(2).split(" \\|"));
                rows.add(new Row(row.group(1), cells.get(0), cells));
            }
        }
        return rows;
    }

    private static String firstCode(String cell) {
        Matcher code = CODE.matcher(cell);
        return code.find() ? code.group(1) : null;
    }

    private static List<String> codeSpans(String cell) {
        return CODE.matcher(cell).results().map(m -> m.group(1)).toList();
    }
}
