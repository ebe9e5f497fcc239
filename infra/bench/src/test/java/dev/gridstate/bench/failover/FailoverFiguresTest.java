package dev.gridstate.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.LongPredicate;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

class FailoverFiguresTest {

    private static final long ORIGIN = 7_000_000_000_000L;
    private static final long KILL = ORIGIN + seconds(10);
    private static final long EVERY_2_MS = millis(2);

    @Test
    void shouldMeasureFirstSuccessToTheAnswerOfTheFirstSuccessfulRequestStartedAfterTheKill() {
        Timeline timeline = new Timeline();
        steady(timeline, ORIGIN, KILL, millis(1));
        send(timeline, KILL, KILL + millis(2300), t -> millis(500), t -> false);
        send(timeline, KILL + millis(2300), KILL + seconds(10), t -> millis(5), t -> true);

        FailoverFigures figures = FailoverFigures.of(timeline, KILL);

        assertThat(figures.firstSuccess()).contains(Duration.ofMillis(2305));
        assertThat(figures.failedAfterKill()).isEqualTo(1150);
        assertThat(figures.totalAfterKill()).isEqualTo(5000);
        assertThat(figures.worstWindowP99()).contains(Duration.ofMillis(500));
    }

    @Test
    void shouldTakeTheEarliestAnswerNotTheEarliestStartAsFirstSuccess() {
        Timeline timeline = new Timeline();
        steady(timeline, ORIGIN, KILL, millis(1));
        timeline.record(KILL + millis(100), KILL + millis(3000), true);
        timeline.record(KILL + millis(200), KILL + millis(1200), true);

        FailoverFigures figures = FailoverFigures.of(timeline, KILL);

        assertThat(figures.firstSuccess()).contains(Duration.ofMillis(1200));
    }

    @Test
    void shouldCountARequestInFlightAtTheKillAsAfterTheKill() {
        Timeline timeline = new Timeline();
        steady(timeline, ORIGIN, KILL - millis(10), millis(1));
        timeline.record(KILL - millis(1), KILL + millis(499), false);
        timeline.record(KILL - millis(5), KILL - millis(4), false);

        FailoverFigures figures = FailoverFigures.of(timeline, KILL);

        assertThat(figures.failedAfterKill()).isEqualTo(1);
        assertThat(figures.totalAfterKill()).isEqualTo(1);
        assertThat(figures.firstSuccess()).isEmpty();
        assertThat(timeline.failedEndingAtOrAfter(KILL - millis(5))).isEqualTo(2);
    }

    @Test
    void shouldPlaceSteadyAtTheFirstWindowFollowedOnlyBySteadyWindows() {
        Timeline timeline = new Timeline();
        steady(timeline, ORIGIN, KILL, millis(1));
        send(timeline, KILL, KILL + millis(2300), t -> millis(500), t -> false);
        send(timeline, KILL + millis(2300), KILL + millis(4500), t -> millis(10), t -> true);
        send(timeline, KILL + millis(4500), KILL + seconds(12), t -> millis(1),
                t -> t != KILL + millis(7500));

        FailoverFigures figures = FailoverFigures.of(timeline, KILL);

        assertThat(figures.timeToSteady()).contains(Duration.ofSeconds(8));
        assertThat(figures.fullWindowsAfterKill()).isEqualTo(11);
    }

    @Test
    void shouldReportNoSteadyWhenTheLastFullWindowIsSlow() {
        Timeline timeline = new Timeline();
        steady(timeline, ORIGIN, KILL, millis(1));
        send(timeline, KILL, KILL + seconds(5), t -> millis(1), t -> true);
        send(timeline, KILL + seconds(5), KILL + seconds(6) + millis(1), t -> millis(3), t -> true);

        FailoverFigures figures = FailoverFigures.of(timeline, KILL);

        assertThat(figures.timeToSteady()).isEmpty();
        assertThat(figures.worstWindowP99()).contains(Duration.ofMillis(3));
    }

    @Test
    void shouldNotJudgeThePartialLastWindow() {
        Timeline timeline = new Timeline();
        steady(timeline, ORIGIN, KILL, millis(1));
        send(timeline, KILL, KILL + seconds(3), t -> millis(1), t -> true);
        send(timeline, KILL + seconds(3), KILL + millis(3500), t -> millis(500), t -> false);

        FailoverFigures figures = FailoverFigures.of(timeline, KILL);

        assertThat(figures.fullWindowsAfterKill()).isEqualTo(3);
        assertThat(figures.timeToSteady()).contains(Duration.ZERO);
        assertThat(figures.failedAfterKill()).isEqualTo(250);
    }

    @Test
    void shouldAllowOneMillisecondAboveATinyBaseline() {
        Timeline timeline = new Timeline();
        steady(timeline, ORIGIN, KILL, micros(100));
        send(timeline, KILL, KILL + seconds(1), t -> millis(2), t -> true);
        send(timeline, KILL + seconds(1), KILL + seconds(4), t -> micros(1100), t -> true);

        FailoverFigures figures = FailoverFigures.of(timeline, KILL);

        assertThat(figures.steadyP99Limit()).isEqualTo(Duration.ofNanos(micros(1100)));
        assertThat(figures.timeToSteady()).contains(Duration.ofSeconds(1));
    }

    @Test
    void shouldAllowTwiceALargeBaseline() {
        Timeline timeline = new Timeline();
        steady(timeline, ORIGIN, KILL, millis(5));
        send(timeline, KILL, KILL + seconds(1), t -> millis(11), t -> true);
        send(timeline, KILL + seconds(1), KILL + seconds(4), t -> millis(10), t -> true);

        FailoverFigures figures = FailoverFigures.of(timeline, KILL);

        assertThat(figures.steadyP99Limit()).isEqualTo(Duration.ofMillis(10));
        assertThat(figures.timeToSteady()).contains(Duration.ofSeconds(1));
    }

    @Test
    void shouldTakeTheNearestRankP99OfTheBaselineWindowOnly() {
        Timeline timeline = new Timeline();
        timeline.record(KILL - seconds(6), KILL - seconds(6) + seconds(9), true);
        for (int i = 1; i <= 200; i++) {
            long start = KILL - seconds(5) + i * millis(10);
            timeline.record(start, start + millis(i), true);
        }

        FailoverFigures figures = FailoverFigures.of(timeline, KILL);

        assertThat(figures.baselineRequests()).isEqualTo(200);
        assertThat(figures.baselineP99()).isEqualTo(Duration.ofMillis(198));
    }

    @Test
    void shouldTreatAWindowWithoutRequestsAsNotSteady() {
        Timeline timeline = new Timeline();
        steady(timeline, ORIGIN, KILL, millis(1));
        send(timeline, KILL, KILL + seconds(2), t -> millis(1), t -> true);
        send(timeline, KILL + seconds(3), KILL + seconds(6), t -> millis(1), t -> true);

        FailoverFigures figures = FailoverFigures.of(timeline, KILL);

        assertThat(figures.timeToSteady()).contains(Duration.ofSeconds(3));
    }

    @Test
    void shouldRefuseATimelineWithNothingBeforeTheKill() {
        Timeline timeline = new Timeline();
        send(timeline, KILL, KILL + seconds(3), t -> millis(1), t -> true);

        assertThatThrownBy(() -> FailoverFigures.of(timeline, KILL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no request started in the PT5S before the kill");
    }

    @Test
    void shouldRefuseAFactorBelowOne() {
        assertThatThrownBy(() -> new FailoverFigures.Settings(
                Duration.ofSeconds(5), Duration.ofSeconds(1), 0.5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("p99Factor must be at least 1, but was 0.5");
    }

    private static void steady(Timeline timeline, long from, long to, long latency) {
        send(timeline, from, to, t -> latency, t -> true);
    }

    /** One request every 2 ms in [from, to). */
    private static void send(Timeline timeline, long from, long to, LongUnaryOperator latency, LongPredicate ok) {
        for (long t = from; t < to; t += EVERY_2_MS) {
            timeline.record(t, t + latency.applyAsLong(t), ok.test(t));
        }
    }

    private static long seconds(long s) {
        return Duration.ofSeconds(s).toNanos();
    }

    private static long millis(long ms) {
        return Duration.ofMillis(ms).toNanos();
    }

    private static long micros(long us) {
        return Duration.ofNanos(us * 1000).toNanos();
    }
}
