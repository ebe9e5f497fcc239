package dev.gridstate.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gridstate.bench.failover.Timeline.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void shouldKeepEveryOutcomeRecordedFromManyThreadsInOrderOfStart() throws InterruptedException {
        Timeline timeline = new Timeline();
        int threads = 4;
        int each = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int n = 0; n < threads; n++) {
            int offset = n;
            senders.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(go);
                for (int i = 0; i < each; i++) {
                    long start = (long) i * threads + offset;
                    timeline.record(start, start + 10, i % 2 == 0);
                }
            }));
        }

        go.countDown();
        for (Thread sender : senders) {
            sender.join(10_000);
        }

        List<Outcome> outcomes = timeline.outcomes();
        assertThat(outcomes).hasSize(threads * each);
        assertThat(outcomes).isSortedAccordingTo(Comparator.comparingLong(Outcome::startNanos));
        assertThat(outcomes.stream().filter(Outcome::ok).count()).isEqualTo(threads * each / 2);
    }

    @Test
    void shouldCountFailuresThatEndedAtOrAfterAnInstant() {
        Timeline timeline = new Timeline();
        timeline.record(0, 100, false);
        timeline.record(50, 200, false);
        timeline.record(60, 250, true);
        timeline.record(300, 400, false);

        assertThat(timeline.failedEndingAtOrAfter(200)).isEqualTo(2);
        assertThat(timeline.failedEndingAtOrAfter(401)).isZero();
    }

    @Test
    void shouldRefuseAnOutcomeThatEndsBeforeItStarts() {
        Timeline timeline = new Timeline();

        assertThatThrownBy(() -> timeline.record(100, 99, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ended at 99 ns after starting at 100 ns");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before sending", e);
        }
    }
}
