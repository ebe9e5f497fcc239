package dev.gridstate.gateway.subcloud;

import java.util.List;
import java.util.stream.Collectors;

/** Subcloud definition bodies for tests. */
final class SubcloudJson {

    private SubcloudJson() {
    }

    static String of(String name, List<String> members, List<String> clients) {
        return "{\"name\":\"" + name + "\",\"members\":" + array(members) + ",\"clients\":" + array(clients) + "}";
    }

    static String array(List<String> ids) {
        return ids.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",", "[", "]"));
    }
}
