package dev.gridstate.deploy;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of the two programs the deployment files run, as its own files describe it: the image the
 * root pom's images profile builds (gridstate/ + the module's finalName), the settings it reads
 * (environment form), the port it serves HTTP on, the settings it cannot do without in a
 * container, and where its settings are written down (for messages).
 */
record Program(String name, String image, Set<String> variables, int httpPort, List<String> essentials,
               String documentedIn) {

    /**
     * The gateway's defaults name 127.0.0.1 for every Redis and the broker, which in a container
     * or pod is the container itself; its region defaults to "local"; without the two secrets it
     * refuses to start.
     */
    static final List<String> GATEWAY_ESSENTIALS = List.of("GATEWAY_REGION", "GATEWAY_ADMIN_TOKEN",
            "GATEWAY_NODE_TOKEN_SECRET", "REDIS_SERVERS_REGIONAL_URI", "REDIS_SERVERS_CENTRAL_URI", "RABBITMQ_URI");
    /** The replicator refuses to start without its regions; its defaults also name 127.0.0.1. */
    static final List<String> REPLICATOR_ESSENTIALS = List.of("REPLICATION_REGIONS", "REDIS_SERVERS_CENTRAL_URI",
            "RABBITMQ_URI");

    private static final Pattern FINAL_NAME = Pattern.compile("<finalName>\\s*([^<\\s]+)\\s*</finalName>");

    static Program gateway(Repo repo) {
        return of(repo, "the gateway", "gateway", "# Gateway", GATEWAY_ESSENTIALS);
    }

    static Program replicator(Repo repo) {
        return of(repo, "the replicator", "replication", "# Replicator", REPLICATOR_ESSENTIALS);
    }

    static List<Program> all(Repo repo) {
        return List.of(gateway(repo), replicator(repo));
    }

    /** The program a container image (with or without its tag) runs, if it is one of ours. */
    static Optional<Program> running(String image, List<Program> programs) {
        return programs.stream().filter(p -> p.image().equals(repository(image))).findFirst();
    }

    /** {@code gridstate/gateway} of {@code gridstate/gateway:0.1.0}; a registry port's colon is not a tag's. */
    static String repository(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    static String tag(String image) {
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "latest";
    }

    boolean reads(String variable) {
        return variables.contains(variable);
    }

    /** The settings reference: one part per program, each opened by a {@code # <Program>} heading. */
    static final String REFERENCE = "docs/configuration.md";

    private static Program of(Repo repo, String name, String module, String part, List<String> essentials) {
        String yamlFile = module + "/src/main/resources/application.yml";
        String yaml = repo.read(yamlFile);
        Set<String> properties = new LinkedHashSet<>(SettingsDocs.yamlProperties(yaml));
        properties.addAll(SettingsDocs.readmeProperties(SettingsDocs.part(repo.read(REFERENCE), part)));
        Set<String> variables = new LinkedHashSet<>();
        properties.forEach(p -> variables.add(SettingsDocs.variable(p)));
        Matcher finalName = FINAL_NAME.matcher(repo.read(module + "/pom.xml"));
        if (!finalName.find()) {
            throw new AssertionError(module + "/pom.xml has no <finalName>, which the images profile names the image after");
        }
        String port = Tree.string(Tree.parse(yaml), "micronaut", "server", "port");
        if (port == null) {
            throw new AssertionError(yamlFile + " sets no micronaut.server.port");
        }
        return new Program(name, "gridstate/" + finalName.group(1), variables, Integer.parseInt(port), essentials,
                yamlFile + " and the part '" + part + "' of " + REFERENCE);
    }
}
