package dev.gridstate.agent.sim;

import dev.gridstate.agent.NodeSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class NodeCatalogTest {

    @Test
    void shouldMakeTheSameNodesFromTheSameSeed() {
        assertThat(NodeCatalog.nodes("eu-west", 50, new Random(3)))
                .isEqualTo(NodeCatalog.nodes("eu-west", 50, new Random(3)));
    }

    @Test
    void shouldNumberNodesFromOneWithTheRegionAsPrefix() {
        List<NodeSpec> nodes = NodeCatalog.nodes("us-east", 12, new Random(3));

        assertThat(nodes).extracting(NodeSpec::nodeId).startsWith("us-east-node-0001").endsWith("us-east-node-0012");
    }

    @Test
    void shouldDrawEveryFieldFromTheCatalogue() {
        List<NodeSpec> nodes = NodeCatalog.nodes("eu-west", 500, new Random(3));

        assertThat(nodes).allSatisfy(node -> {
            assertThat(node.models()).isNotEmpty().allMatch(NodeCatalog.MODELS::contains);
            assertThat(NodeCatalog.GPUS).anyMatch(gpu -> gpu.model().equals(node.gpu().model())
                    && gpu.memoryMb() == node.gpu().memoryMb());
            assertThat(node.labels().get("tier")).isIn(NodeCatalog.TIERS);
            assertThat(node.subclouds()).isNotEmpty().allMatch(NodeCatalog.SUBCLOUDS::contains);
        });
        assertThat(nodes).extracting(node -> node.gpu().model()).contains("A100", "H100", "L4", "RTX4090");
    }

    @Test
    void shouldPutTheLargeModelOnlyOnEightyGigabyteCards() {
        List<NodeSpec> nodes = NodeCatalog.nodes("eu-west", 500, new Random(3));

        assertThat(nodes).filteredOn(node -> node.models().contains(new NodeSpec.Model("llama-3-70b", "fp16")))
                .isNotEmpty()
                .allMatch(node -> node.gpu().memoryMb() >= 80_000);
    }
}
