package dev.gridstate.gateway.flags;

import dev.gridstate.gateway.api.ApiException;
import dev.gridstate.gateway.api.Names;
import dev.gridstate.state.Keys;

import java.util.Arrays;
import java.util.Locale;

/**
 * The admin "suspension triggers". None of the flagged nodes is routed to; what differs is the
 * lifetime and what the node is told.
 */
public enum FlagKind {
    /** Routed to: no. Told: yes. Lifetime: ttlMs, required. */
    PAUSE(Lifetime.TTL_REQUIRED),
    /** Routed to: no. Told: yes. Lifetime: ttlMs, required. */
    COOLDOWN(Lifetime.TTL_REQUIRED),
    /** Routed to: no. Told: yes, with the notice text. Lifetime: ttlMs, or until lifted. */
    MAINTENANCE(Lifetime.TTL_OPTIONAL),
    /** A hard lock for violations: claims voided at once. Told: yes. Until lifted. */
    FREEZE(Lifetime.UNTIL_LIFTED),
    /** Routed to: no. Told: no; its own answers look exactly as before. Until lifted. */
    SHADOW_BAN(Lifetime.UNTIL_LIFTED),
    /**
     * Set by the job dispatcher on a node that failed too many jobs in a row (admins may set or
     * lift it too). Routed to: no. Told: yes. Lifetime: ttlMs, or until lifted.
     */
    QUARANTINE(Lifetime.TTL_OPTIONAL);

    enum Lifetime { TTL_REQUIRED, TTL_OPTIONAL, UNTIL_LIFTED }

    private final Lifetime lifetime;

    FlagKind(Lifetime lifetime) {
        this.lifetime = lifetime;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    Lifetime lifetime() {
        return lifetime;
    }

    /**
     * Freeze and shadow-ban are verdicts, not operations: they are written through to central
     * before the answer, so no Redis loss forgets them. The others expire or are routine, and
     * reach central through the change log.
     */
    boolean durable() {
        return lifetime == Lifetime.UNTIL_LIFTED;
    }

    static FlagKind parse(String value) {
        return Arrays.stream(values()).filter(k -> k.wire().equals(value)).findFirst()
                .orElseThrow(() -> ApiException.invalid("kind", "flag kind must be one of " + Keys.FLAG_KINDS
                        + ", but was \"" + Names.abbreviate(value) + "\""));
    }
}
