package dev.gridstate.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The rabbitmq-server and rabbitmqctl scripts to run as the current user. Debian's
 * /usr/sbin/rabbitmq-server is a wrapper that, run as root, switches to the rabbitmq user and
 * its fixed directories; the real scripts behind it in /usr/lib/rabbitmq/bin run as anyone.
 */
record RabbitScripts(Path server, Path ctl) {

    private static final Path DEBIAN_BIN = Path.of("/usr/lib/rabbitmq/bin");

    static Optional<RabbitScripts> find() {
        Path debianServer = DEBIAN_BIN.resolve("rabbitmq-server");
        Path debianCtl = DEBIAN_BIN.resolve("rabbitmqctl");
        if (Files.isExecutable(debianServer) && Files.isExecutable(debianCtl)) {
            return Optional.of(new RabbitScripts(debianServer, debianCtl));
        }
        return Executables.find("rabbitmq-server")
                .flatMap(server -> Executables.find("rabbitmqctl").map(ctl -> new RabbitScripts(server, ctl)));
    }
}
