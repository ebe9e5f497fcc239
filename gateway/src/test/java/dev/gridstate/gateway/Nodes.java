package dev.gridstate.gateway;

/** Registration bodies for tests. */
public final class Nodes {

    private Nodes() {
    }

    public static String spec(String model, String version, long memoryMb, long freeMb, String tier) {
        return """
                {"models":[{"name":"%s","version":"%s"}],
                 "gpu":{"model":"A100","memoryMb":%d,"freeMemoryMb":%d},
                 "labels":{"tier":"%s"},"subclouds":["sc-1"]}""".formatted(model, version, memoryMb, freeMb, tier);
    }

    public static String spec(long freeMb) {
        return spec("llama-3-8b", "q4", 81920, freeMb, "gold");
    }

    /** One entry of a heartbeat batch, with the node token its registration was answered with. */
    public static String beat(String nodeId, String state) {
        return "{\"nodeId\":\"%s\",\"state\":\"%s\",\"nodeToken\":\"%s\"}".formatted(nodeId, state, Http.token(nodeId));
    }

    /** A heartbeat batch body of the given entries. */
    public static String batch(java.util.List<String> entries) {
        return "{\"heartbeats\":[" + String.join(",", entries) + "]}";
    }
}
