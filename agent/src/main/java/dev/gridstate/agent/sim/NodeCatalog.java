package dev.gridstate.agent.sim;

import dev.gridstate.agent.NodeSpec;
import dev.gridstate.agent.NodeSpec.Gpu;
import dev.gridstate.agent.NodeSpec.Model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Makes plausible GPU nodes for a region; the same seed gives the same nodes. */
final class NodeCatalog {

    static final List<Model> MODELS = List.of(new Model("llama-3-8b", "q4"), new Model("llama-3-70b", "fp16"),
            new Model("mistral-7b", "q8"), new Model("sdxl", "1.0"));
    static final List<Gpu> GPUS = List.of(new Gpu("A100", 81_920, 81_920), new Gpu("H100", 81_920, 81_920),
            new Gpu("L4", 24_576, 24_576), new Gpu("RTX4090", 24_576, 24_576));
    static final List<String> TIERS = List.of("gold", "silver", "bronze");
    static final List<String> SUBCLOUDS = List.of("sc-1", "sc-2", "sc-3");

    private static final Model LARGE_MODEL = MODELS.get(1);
    private static final long LARGE_MODEL_MIN_MEMORY_MB = 80_000;

    private NodeCatalog() {
    }

    static String nodeId(String region, int number) {
        return String.format("%s-node-%04d", region, number);
    }

    /** {@code count} nodes numbered from 1. */
    static List<NodeSpec> nodes(String region, int count, RandomGenerator random) {
        List<NodeSpec> nodes = new ArrayList<>(count);
        for (int number = 1; number <= count; number++) {
            Gpu kind = GPUS.get(random.nextInt(GPUS.size()));
            long free = kind.memoryMb() - random.nextLong(kind.memoryMb() / 10);
            nodes.add(new NodeSpec(nodeId(region, number), models(kind, random),
                    new Gpu(kind.model(), kind.memoryMb(), free),
                    Map.of("tier", TIERS.get(random.nextInt(TIERS.size()))),
                    subclouds(random)));
        }
        return nodes;
    }

    private static List<Model> models(Gpu gpu, RandomGenerator random) {
        Set<Model> models = new LinkedHashSet<>();
        int wanted = 1 + random.nextInt(2);
        while (models.size() < wanted) {
            Model model = MODELS.get(random.nextInt(MODELS.size()));
            // a 70b model in fp16 only fits the 80 GB cards
            if (!model.equals(LARGE_MODEL) || gpu.memoryMb() >= LARGE_MODEL_MIN_MEMORY_MB) {
                models.add(model);
            }
        }
        return List.copyOf(models);
    }

    private static List<String> subclouds(RandomGenerator random) {
        List<String> chosen = new ArrayList<>();
        SUBCLOUDS.forEach(subcloud -> {
            if (random.nextInt(3) == 0) {
                chosen.add(subcloud);
            }
        });
        return chosen.isEmpty() ? List.of(SUBCLOUDS.get(random.nextInt(SUBCLOUDS.size()))) : chosen;
    }
}
