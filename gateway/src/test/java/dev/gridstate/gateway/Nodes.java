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
}
