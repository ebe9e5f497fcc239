package dev.gridstate.bench;

import dev.gridstate.state.Keys;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The gateway's Lua scripts as the gateway sends them (key names, then lib.lua, then the script:
 * {@code LuaScript.load}), read from the gateway jar under test, so redis-benchmark can run the
 * very same script without the gateway.
 */
final class GatewayScripts {

    private GatewayScripts() {
    }

    static String source(Path gatewayJar, String name) {
        return Keys.luaHeader() + entry(gatewayJar, "lua/lib.lua") + entry(gatewayJar, "lua/" + name + ".lua");
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
