package dev.gridstate.gateway.subcloud;

import dev.gridstate.gateway.replication.Durability;
import dev.gridstate.gateway.store.StateStore;
import dev.gridstate.state.Keys;
import dev.gridstate.state.LuaScript;
import io.lettuce.core.ScriptOutputType;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Subclouds in the region's Redis. A put or delete is one script that also keeps the client
 * index sets and the set of all ids in step, bumps the version and publishes the id on
 * {@link Keys#subcloudChanges()}; reads never write.
 */
@Singleton
class SubcloudStore {

    private static final LuaScript PUT = LuaScript.load("subcloud-put");
    private static final LuaScript DELETE = LuaScript.load("subcloud-delete");
    private static final LuaScript GET = LuaScript.load("subcloud-get");
    private static final LuaScript CLIENT = LuaScript.load("subcloud-client");
    private static final LuaScript STATUS = LuaScript.load("subcloud-status");

    private final StateStore store;
    private final Keys keys;
    private final JsonMapper json;

    private final Durability durability;

    SubcloudStore(StateStore store, Keys keys, JsonMapper json, Durability durability) {
        this.store = store;
        this.durability = durability;
        this.keys = keys;
        this.json = json;
    }

    /** What a put did: whether the id was new, and the version it gave the definition. */
    record Put(boolean created, long version) {
    }

    CompletionStage<Put> put(String id, Definition definition) {
        return store.<List<Long>>write(PUT, ScriptOutputType.MULTI, new String[]{keys.subcloud(id), keys.subclouds()},
                        id, write(definition), String.join(" ", definition.clients()), keys.clientSubcloudsPrefix(),
                        keys.subcloudChanges())
                .thenCompose(r -> durability.writeThrough(keys.subcloud(id), r.source())
                        .thenApply(durable -> new Put(r.value().get(0) == 1L, r.value().get(1))));
    }

    /** Completes with the version of the deletion, or empty when there was no such Subcloud. */
    CompletionStage<OptionalLong> delete(String id) {
        return store.<Long>write(DELETE, ScriptOutputType.INTEGER, new String[]{keys.subcloud(id), keys.subclouds()},
                        id, keys.clientSubcloudsPrefix(), keys.subcloudChanges())
                .thenCompose(r -> {
                    OptionalLong deleted = r.value() == 0L ? OptionalLong.empty() : OptionalLong.of(r.value());
                    return deleted.isEmpty() ? CompletableFuture.completedFuture(deleted)
                            : durability.writeThrough(keys.subcloud(id), r.source()).thenApply(durable -> deleted);
                });
    }

    /** Every id asked for, mapped to its Subcloud or to empty when there is none. */
    CompletionStage<Map<String, Optional<Subcloud>>> load(Collection<? extends String> ids) {
        if (ids.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<String> order = List.copyOf(ids);
        String[] k = order.stream().map(keys::subcloud).toArray(String[]::new);
        return store.<List<String>>read(GET, ScriptOutputType.MULTI, k).thenApply(r -> {
            Map<String, Optional<Subcloud>> out = new HashMap<>();
            for (int i = 0; i < order.size(); i++) {
                String definition = r.get(2 * i);
                String id = order.get(i);
                out.put(id, definition.isEmpty() ? Optional.empty()
                        : Optional.of(new Subcloud(id, Long.parseLong(r.get(2 * i + 1)), read(id, definition))));
            }
            return out;
        });
    }

    /** The ids of the Subclouds a client may use, sorted. */
    CompletionStage<List<String>> idsFor(String client) {
        return store.<List<String>>read(CLIENT, ScriptOutputType.MULTI, new String[]{keys.clientSubclouds(client)})
                .thenApply(ids -> ids.stream().sorted().toList());
    }

    /** The live status of each node, read in one script at one Redis time; keyed and ordered by node id as given. */
    CompletionStage<Map<String, MemberStatus>> statuses(Collection<String> nodeIds) {
        if (nodeIds.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<String> order = List.copyOf(nodeIds);
        List<String> k = new ArrayList<>(order.size() + 1);
        k.add(keys.online());
        order.forEach(id -> k.add(keys.node(id)));
        return store.<List<Object>>read(STATUS, ScriptOutputType.MULTI, k.toArray(String[]::new), order.toArray(String[]::new))
                .thenApply(r -> {
                    Map<String, MemberStatus> out = new LinkedHashMap<>();
                    for (int i = 0; i < order.size(); i++) {
                        out.put(order.get(i), MemberStatus.of(order.get(i), (String) r.get(3 * i),
                                (Long) r.get(3 * i + 1) == 1L, (Long) r.get(3 * i + 2) == 1L));
                    }
                    return out;
                });
    }

    private String write(Definition definition) {
        try {
            return json.writeValueAsString(definition);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the definition of a Subcloud as JSON", e);
        }
    }

    private Definition read(String id, String definition) {
        try {
            return json.readValue(definition, Definition.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Subcloud " + id + " holds a definition that is not valid JSON: " + definition, e);
        }
    }
}
