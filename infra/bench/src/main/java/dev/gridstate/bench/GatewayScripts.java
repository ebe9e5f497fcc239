package dev.gridstate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The gateway's Lua scripts as the gateway under test sends them, composed by that jar's own
 * {@code LuaScript} (loaded from the jar, apart from the bench's classes), so redis-benchmark can
 * run the very same script without the gateway and the slow log can name it by its SHA. On a
 * regional Redis every script runs after the {@code holds-region} prologue (the gateway's
 * {@code StateStore}).
 */
final class GatewayScripts {

    private static final String PROLOGUE = "holds-region";

    private GatewayScripts() {
    }

    /** The source of {@code name} as a regional Redis gets it. */
    static String source(Path gatewayJar, String name) {
        return compose(gatewayJar, List.of(name)).get(name).regional().source();
    }

    /**
     * Every script's SHA-1, plain (as background tasks and central get some) and after the
     * prologue (as a regional Redis gets them), to its name. Scripts with the failback-mark
     * epilogue (writes on central) are not among them and show as SHAs.
     */
    static Map<String, String> namesBySha(Path gatewayJar) {
        Map<String, String> names = new HashMap<>();
        compose(gatewayJar, scriptNames(gatewayJar)).forEach((name, forms) -> {
            names.put(forms.plain().sha(), name);
            names.put(forms.regional().sha(), name);
        });
        return names;
    }

    private record Composed(String source, String sha) {
    }

    /** A script plain and after the prologue. */
    private record Forms(Composed plain, Composed regional) {
    }

    private static Map<String, Forms> compose(Path gatewayJar, List<String> names) {
        // No parent: the jar's own LuaScript, Keys and lib.lua, whatever the bench's classpath holds.
        try (URLClassLoader jar = new URLClassLoader(new URL[]{gatewayJar.toUri().toURL()}, null)) {
            Class<?> lua = jar.loadClass("dev.gridstate.state.LuaScript");
            Method load = lua.getMethod("load", String.class);
            Method precededBy = lua.getMethod("precededBy", String.class);
            Method source = lua.getMethod("source");
            Method sha = lua.getMethod("sha");
            Map<String, Forms> forms = new HashMap<>();
            for (String name : names) {
                Object plain = load.invoke(null, name);
                Object regional = precededBy.invoke(plain, PROLOGUE);
                forms.put(name, new Forms(new Composed((String) source.invoke(plain), (String) sha.invoke(plain)),
                        new Composed((String) source.invoke(regional), (String) sha.invoke(regional))));
            }
            return forms;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + gatewayJar, e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot compose the gateway's scripts from " + gatewayJar, e);
        }
    }

    private static List<String> scriptNames(Path gatewayJar) {
        try (ZipFile zip = new ZipFile(gatewayJar.toFile())) {
            return zip.stream().map(ZipEntry::getName)
                    .filter(n -> n.startsWith("lua/") && n.endsWith(".lua") && !n.equals("lua/lib.lua"))
                    .map(n -> n.substring(4, n.length() - 4)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + gatewayJar, e);
        }
    }
}
