package dev.gridstate.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse.ContainerState;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports.Binding;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * redis:7-alpine through Testcontainers, for machines without redis-server but with Docker.
 * The host port is bound explicitly on 127.0.0.1 so that it survives a kill and start of the
 * same container; the container keeps its /data, so central replays its AOF after a restart.
 */
final class ContainerRedisProcess implements RedisProcess {

    private static final DockerImageName IMAGE = DockerImageName.parse("redis:7-alpine");
    private static final String HOST = "127.0.0.1";
    private static final int REDIS_PORT = 6379;
    private static final String CONF = "/usr/local/etc/redis/redis.conf";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final GenericContainer<?> container;
    private final RedisRole role;
    private final int port;
    private boolean closed;

    private ContainerRedisProcess(GenericContainer<?> container, RedisRole role, int port) {
        this.container = container;
        this.role = role;
        this.port = port;
    }

    static ContainerRedisProcess start(RedisRole role) {
        int port = Ports.freePort();
        String[] command = Stream.concat(
                Stream.of("redis-server", CONF, "--port", Integer.toString(REDIS_PORT),
                        "--dir", "/data", "--bind", "0.0.0.0", "--protected-mode", "no"),
                role.extraArgs().stream()).toArray(String[]::new);
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withCopyToContainer(MountableFile.forClasspathResource(role.confResource()), CONF)
                .withCommand(command)
                .withExposedPorts(REDIS_PORT)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(
                        new PortBinding(Binding.bindIpAndPort(HOST, port),
                                ExposedPort.tcp(REDIS_PORT))));
        container.start();
        return new ContainerRedisProcess(container, role, port);
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void kill() {
        if (isRunning()) {
            docker().killContainerCmd(container.getContainerId()).exec();
        }
    }

    @Override
    public synchronized void hang() {
        docker().pauseContainerCmd(container.getContainerId()).exec();
    }

    @Override
    public synchronized void resume() {
        if (Boolean.TRUE.equals(state().getPaused())) {
            docker().unpauseContainerCmd(container.getContainerId()).exec();
        }
    }

    @Override
    public synchronized void restart() {
        resume();
        kill();
        docker().startContainerCmd(container.getContainerId()).exec();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!RedisPing.answers(HOST, port, Duration.ofMillis(500))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("redis " + role.label() + " container on " + HOST + ":" + port
                        + " did not answer PING within " + START_TIMEOUT + " of a restart; logs:\n"
                        + container.getLogs());
            }
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return !closed && Boolean.TRUE.equals(state().getRunning());
    }

    @Override
    public OptionalLong pid() {
        return OptionalLong.empty();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            resume();
            container.stop();
        }
    }

    private ContainerState state() {
        return docker().inspectContainerCmd(container.getContainerId()).exec().getState();
    }

    private DockerClient docker() {
        return container.getDockerClient();
    }
}
