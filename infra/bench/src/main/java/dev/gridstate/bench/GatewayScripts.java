package dev.gridstate.bench;

import dev.gridstate.state.Keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The gateway's Lua scripts as the gateway sends them to a regional Redis (key names, lib.lua,
 * the holds-region prologue, then the script: {@code LuaScript.load(name).precededBy("holds-region")}),
 * read from the gateway jar under test, so redis-benchmark can run the very same script without
 * the gateway.
 */
final class GatewayScripts {

    private GatewayScripts() {
    }

    static String source(Path gatewayJar, String name) {
        return regional(entry(gatewayJar, "lua/lib.lua"), entry(gatewayJar, "lua/holds-region.lua"),
                entry(gatewayJar, "lua/" + name + ".lua"));
    }

    private static String regional(String lib, String prologue, String script) {
        return Keys.luaHeader() + lib + prologue + "\n" + script;
    }

    /**
     * Every gateway script's SHA-1 as the gateway sends it, to its name: on a regional Redis
     * (with the holds-region prologue) and plain (as background tasks and central get some).
     * Scripts with the failback-mark epilogue (writes on central) are not among them and show as SHAs.
     */
    static Map<String, String> namesBySha(Path gatewayJar) {
        Map<String, String> names = new HashMap<>();
        try (ZipFile zip = new ZipFile(gatewayJar.toFile())) {
            String lib = entry(gatewayJar, "lua/lib.lua");
            String prologue = entry(gatewayJar, "lua/holds-region.lua");
            zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith("lua/") && n.endsWith(".lua"))
                    .filter(n -> !n.equals("lua/lib.lua")).forEach(n -> {
                        String name = n.substring(4, n.length() - 4);
                        String script = entry(gatewayJar, n);
                        names.put(sha1(Keys.luaHeader() + lib + script), name);
                        names.put(sha1(regional(lib, prologue, script)), name);
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + gatewayJar, e);
        }
        return names;
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is missing from this JVM", e);
        }
    }

    private static String entry(Path jar, String path) {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry(path);
            if (entry == null) {
                throw new IllegalStateException(path + " is not in " + jar);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " from " + jar, e);
        }
    }
}
