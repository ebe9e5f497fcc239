package dev.gridstate.gateway.subcloud;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** What an admin defines, stored as JSON in the Subcloud's hash: a name, the nodes in it, the clients that may use it. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
record Definition(String name, List<String> members, List<String> clients) {

    Definition {
        members = List.copyOf(members);
        clients = List.copyOf(clients);
    }
}
