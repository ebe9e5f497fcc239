package dev.gridstate.replication.apply;

import dev.gridstate.state.ChangeLog;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisLoadingException;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegionApplierTest {

    private static final ChangeLog.Applied ONE = new ChangeLog.Applied(1, 0, "7");

    private final List<List<String>> calls = new ArrayList<>();
    private final List<Long> acks = new ArrayList<>();
    private final List<Duration> pauses = new ArrayList<>();
    private final List<String> applied = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private int retries;
    private Function<List<String>, ChangeLog.Applied> central = messages -> ONE;
    private RegionApplier applier;

    private RegionApplier applier() {
        Progress progress = new Progress() {
            @Override
            public void applied(List<Delivery> messages, ChangeLog.Applied result) {
                messages.forEach(m -> applied.add(m.body()));
            }

            @Override
            public void rejected(Delivery message, RuntimeException reason) {
                rejected.add(message.body());
            }

            @Override
            public void retrying(RuntimeException reason) {
                retries++;
            }
        };
        Central recording = messages -> {
            calls.add(messages);
            return central.apply(messages);
        };
        applier = new RegionApplier("eu-west", new Inbox(), recording, acks::add, progress,
                new RegionApplier.Limits(64, Long.MAX_VALUE),
                new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2)), pauses::add,
                new Throttle(Clock.systemUTC(), Duration.ofSeconds(5)));
        return applier;
    }

    @Test
    void acknowledgesUpToTheLastDeliveryOnceCentralHasTheWholeBatch() throws InterruptedException {
        List<Delivery> batch = deliveries("a", "b", "c");

        applier().settle(batch);

        assertThat(calls).containsExactly(List.of("a", "b", "c"));
        assertThat(applied).containsExactly("a", "b", "c");
        assertThat(acks).containsExactly(3L);
    }

    @Test
    void retriesTheSameBatchWithDoublingPausesUntilCentralAnswers() throws InterruptedException {
        Deque<RuntimeException> failures = new ArrayDeque<>(List.of(
                new RedisConnectionException("down"), new RedisConnectionException("down"),
                new RedisLoadingException("LOADING Redis is loading the dataset in memory")));
        central = messages -> {
            if (!failures.isEmpty()) {
                throw failures.pop();
            }
            return ONE;
        };

        applier().settle(deliveries("a", "b"));

        assertThat(calls).hasSize(4).allSatisfy(call -> assertThat(call).containsExactly("a", "b"));
        assertThat(pauses).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(retries).isEqualTo(3);
        assertThat(rejected).isEmpty();
        assertThat(acks).containsExactly(2L);
    }

    @Test
    void appliesTheGoodMessagesOfARefusedBatchInOrderAndDropsTheBadOne() throws InterruptedException {
        central = messages -> {
            if (messages.contains("bad")) {
                throw new RedisCommandExecutionException("message 2 is not JSON");
            }
            return ONE;
        };

        applier().settle(deliveries("a", "bad", "c"));

        assertThat(calls).containsExactly(List.of("a", "bad", "c"), List.of("a"), List.of("bad"), List.of("c"));
        assertThat(applied).containsExactly("a", "c");
        assertThat(rejected).containsExactly("bad");
        assertThat(acks).containsExactly(3L);
    }

    @Test
    void abandonsTheBatchUnacknowledgedWhenStoppedWhileCentralIsDown() {
        central = messages -> {
            applier.stop();
            throw new RedisConnectionException("down");
        };
        RegionApplier stopping = applier();

        assertThatThrownBy(() -> stopping.settle(deliveries("a"))).isInstanceOf(InterruptedException.class);
        assertThat(acks).isEmpty();
        assertThat(applied).isEmpty();
    }

    @Test
    void takesAtMostBatchMaxMessagesAtATimeInTheOrderTheyCame() throws InterruptedException {
        Inbox inbox = new Inbox();
        deliveries("a", "b", "c").forEach(inbox::add);
        AtomicReference<RegionApplier> loop = new AtomicReference<>();
        Central stopOnceAllCame = messages -> {
            calls.add(messages);
            if (messages.contains("c")) {
                loop.get().stop();
            }
            return ONE;
        };
        loop.set(new RegionApplier("eu-west", inbox, stopOnceAllCame, acks::add, new NoProgress(),
                new RegionApplier.Limits(2, Long.MAX_VALUE),
                Backoff.DEFAULT, pauses::add, new Throttle(Clock.systemUTC(), Duration.ofSeconds(5))));

        Thread thread = Thread.ofPlatform().start(loop.get());
        thread.join(Duration.ofSeconds(5));

        assertThat(thread.isAlive()).isFalse();
        assertThat(calls).containsExactly(List.of("a", "b"), List.of("c"));
        assertThat(acks).containsExactly(2L, 3L);
    }

    private static List<Delivery> deliveries(String... bodies) {
        List<Delivery> batch = new ArrayList<>();
        for (int i = 0; i < bodies.length; i++) {
            batch.add(new Delivery(i + 1, bodies[i], "v" + (i + 1), OptionalLong.empty()));
        }
        return batch;
    }

    private static final class NoProgress implements Progress {
        @Override
        public void applied(List<Delivery> messages, ChangeLog.Applied result) {
        }

        @Override
        public void rejected(Delivery message, RuntimeException reason) {
        }

        @Override
        public void retrying(RuntimeException reason) {
        }
    }
}
