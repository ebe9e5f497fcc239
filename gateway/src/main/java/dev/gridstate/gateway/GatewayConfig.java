package dev.gridstate.gateway;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * The one thing every part of a gateway shares: the region it serves. One gateway process
 * serves one region; every Redis key it touches carries the region as a hash tag.
 */
@Context
@ConfigurationProperties("gateway")
public record GatewayConfig(
        @NotBlank
        @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "gateway.region must match [a-z0-9][a-z0-9-]{0,62}")
        @Bindable(defaultValue = "local")
        String region) {
}
