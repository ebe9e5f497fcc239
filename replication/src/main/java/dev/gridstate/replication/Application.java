package dev.gridstate.replication;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.tags.Tag;

@OpenAPIDefinition(
        info = @Info(title = "Replicator", version = "v1", description = """
                The replicator applies each region's change log from RabbitMQ to central Redis, in order. Its \
                HTTP side is read-only and open (it is reached from inside the deployment's network): the \
                replication status per region, health and metrics."""),
        tags = {
                @Tag(name = "replication", description = "What this process replicates, and how far behind it is"),
                @Tag(name = "management", description = "Health and metrics")
        })
public class Application {
    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
