package dev.gridstate.gateway.status;

import dev.gridstate.gateway.store.Source;
import dev.gridstate.gateway.store.Sourced;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static org.assertj.core.api.Assertions.assertThat;

class PacedWalkTest {

    private static final long NO_DEADLINE = Long.MAX_VALUE;

    /** Pages through 0..size-1, {@code count} entries a page; the cursor is the next index. */
    private static final class Counting extends PacedWalk {
        final int size;
        Source answering = Source.REGIONAL;
        RuntimeException failure;
        final List<String> asked = new ArrayList<>();
        long seen;
        int begun;
        final List<Long> finished = new ArrayList<>();

        Counting(int size, int pageSize) {
            super("test walk", pageSize);
            this.size = size;
        }

        @Override
        protected CompletionStage<Sourced<List<Object>>> page(String cursor, int count) {
            asked.add(cursor);
            if (failure != null) {
                return CompletableFuture.failedFuture(failure);
            }
            int from = Integer.parseInt(cursor);
            int to = Math.min(size, from + count);
            String next = to == size ? "0" : Integer.toString(to);
            return CompletableFuture.completedFuture(new Sourced<>(List.of(next, (long) (to - from)), answering));
        }

        @Override
        protected void begin() {
            begun++;
            seen = 0;
        }

        @Override
        protected void take(List<Object> reply) {
            seen += (Long) reply.get(1);
        }

        @Override
        protected void finish(long startedAt, long now) {
            finished.add(seen);
        }
    }

    @Test
    void shouldSpreadAPassOverCallsByTheBudget() {
        Counting walk = new Counting(250, 100);

        walk.advance(100, NO_DEADLINE);
        walk.advance(100, NO_DEADLINE);

        assertThat(walk.finished).isEmpty();
        assertThat(walk.progress()).isEqualTo(200);

        walk.advance(100, NO_DEADLINE);

        assertThat(walk.finished).containsExactly(250L);
        assertThat(walk.progress()).isZero();
        assertThat(walk.asked).containsExactly("0", "100", "200");
    }

    @Test
    void shouldFinishAtMostOnePassPerCallEvenWithBudgetLeft() {
        Counting walk = new Counting(10, 100);

        walk.advance(1_000, NO_DEADLINE);

        assertThat(walk.finished).containsExactly(10L);
        assertThat(walk.asked).containsExactly("0");
    }

    @Test
    void shouldStartAgainWhenTheOtherRedisAnswers() {
        Counting walk = new Counting(300, 100);
        walk.advance(100, NO_DEADLINE);

        walk.answering = Source.CENTRAL;
        walk.advance(300, NO_DEADLINE);

        // The page answered by central with the regional cursor is dropped, and the pass begins there anew.
        assertThat(walk.asked).containsExactly("0", "100", "0", "100", "200");
        assertThat(walk.begun).isEqualTo(2);
        assertThat(walk.finished).containsExactly(300L);
    }

    @Test
    void shouldKeepItsPlaceAndSayWhyWhenAPageFails() {
        Counting walk = new Counting(300, 100);
        walk.advance(100, NO_DEADLINE);

        walk.failure = new IllegalStateException("Currently not connected");
        walk.advance(100, NO_DEADLINE);

        assertThat(walk.error()).isEqualTo("the test walk failed: Currently not connected");

        walk.failure = null;
        walk.advance(200, NO_DEADLINE);

        assertThat(walk.error()).isNull();
        assertThat(walk.asked).containsExactly("0", "100", "100", "200");
        assertThat(walk.finished).containsExactly(300L);
    }

    @Test
    void shouldAskForNothingPastItsDeadline() {
        Counting walk = new Counting(300, 100);

        walk.advance(300, System.nanoTime() - 1);

        assertThat(walk.asked).isEmpty();
    }
}
