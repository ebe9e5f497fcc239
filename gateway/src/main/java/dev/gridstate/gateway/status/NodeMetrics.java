package dev.gridstate.gateway.status;

import dev.gridstate.gateway.Periodic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Online nodes by reported state, and by model and state, from the newest complete node census
 * ({@link NodeCensus}, walked on by the status ticker whether or not anyone watches the page):
 * {@code gateway.nodes{state}} and {@code gateway.nodes.by.model{model,state}}, with
 * {@code gateway.nodes.census.age} saying how old they are: a census of 100k nodes at the
 * default rate takes about 50 s. Absent before the first census completes.
 */
@Context
class NodeMetrics {

    private static final String[] STATES = {"idle", "busy", "draining", "other"};

    private final NodeCensus census;
    private final MultiGauge byState;
    private final MultiGauge byModel;
    private final Periodic refresh;
    private long shownCountedAt;

    NodeMetrics(NodeCensus census, StatusSettings settings, MeterRegistry metrics, TaskScheduler scheduler) {
        this.census = census;
        this.byState = MultiGauge.builder("gateway.nodes")
                .description("online nodes by reported state, as of the newest complete census").register(metrics);
        this.byModel = MultiGauge.builder("gateway.nodes.by.model")
                .description("online nodes by model and reported state, as of the newest complete census").register(metrics);
        Gauge.builder("gateway.nodes.census.age", this, NodeMetrics::ageSeconds).baseUnit("seconds")
                .description("how old the node counts by state are").register(metrics);
        this.refresh = Periodic.every(scheduler, "node metrics", settings.interval(), settings.interval(), this::refresh);
    }

    private void refresh() {
        NodeCensus.Counts counts = census.last();
        if (counts == null || counts.countedAt() == shownCountedAt) {
            return;
        }
        shownCountedAt = counts.countedAt();
        byState.register(rows(Tags.empty(), counts.total()), true);
        List<MultiGauge.Row<?>> models = new ArrayList<>();
        for (Map.Entry<String, long[]> model : counts.byModel().entrySet()) {
            models.addAll(rows(Tags.of("model", model.getKey()), model.getValue()));
        }
        byModel.register(models, true);
    }

    private static List<MultiGauge.Row<?>> rows(Tags tags, long[] perState) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>(STATES.length);
        for (int i = 0; i < STATES.length; i++) {
            rows.add(MultiGauge.Row.of(tags.and("state", STATES[i]), perState[i]));
        }
        return rows;
    }

    private double ageSeconds() {
        NodeCensus.Counts counts = census.last();
        return counts == null ? Double.NaN : (System.currentTimeMillis() - counts.countedAt()) / 1000.0;
    }

    @PreDestroy
    void stop() {
        refresh.close();
    }
}
