package dev.gridstate.gateway.auth;

import com.github.benmanes.caffeine.cache.Ticker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;

    @Test
    void shouldLetTenBeatsOfANodeThroughPerSecondByDefaultAndRefuseTheEleventh() {
        HeartbeatRateLimiter limiter = limiter(new RateLimitSettings(10, Duration.ofSeconds(1), Duration.ofMinutes(5), 200_000));

        long allowed = IntStream.range(0, 10).filter(i -> limiter.tryAcquire("n1")).count();

        assertThat(allowed).isEqualTo(10);
        assertThat(limiter.tryAcquire("n1")).isFalse();
        assertThat(limiter.retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(limiter.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void shouldKeepEachNodesBudgetSeparate() {
        HeartbeatRateLimiter limiter = limiter(settings(2, Duration.ofSeconds(10)));
        limiter.tryAcquire("n1");
        limiter.tryAcquire("n1");

        boolean other = limiter.tryAcquire("n2");

        assertThat(limiter.tryAcquire("n1")).isFalse();
        assertThat(other).isTrue();
    }

    @Test
    void shouldRefillTheBudgetAfterTheRefreshPeriod() {
        HeartbeatRateLimiter limiter = limiter(settings(1, Duration.ofMillis(50)));
        assertThat(limiter.tryAcquire("n1")).isTrue();
        assertThat(limiter.tryAcquire("n1")).isFalse();

        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10)).until(() -> limiter.tryAcquire("n1"));
    }

    @Test
    void shouldForgetTheLimiterOfANodeIdleForTheExpiry() {
        HeartbeatRateLimiter limiter = limiter(new RateLimitSettings(1, Duration.ofMinutes(1), Duration.ofMinutes(5), 100));
        limiter.tryAcquire("n1");
        limiter.tryAcquire("n2");
        nanos.addAndGet(Duration.ofMinutes(4).toNanos());
        limiter.tryAcquire("n2");

        nanos.addAndGet(Duration.ofMinutes(2).toNanos());

        assertThat(limiter.trackedNodes()).isEqualTo(1);
        // n1 starts over with a full budget; n2, seen a minute ago, has spent its own
        assertThat(limiter.tryAcquire("n1")).isTrue();
        assertThat(limiter.tryAcquire("n2")).isFalse();
    }

    @Test
    void shouldHoldNoMoreLimitersThanTheMaximum() {
        HeartbeatRateLimiter limiter = limiter(new RateLimitSettings(10, Duration.ofSeconds(1), Duration.ofMinutes(5), 100));

        IntStream.range(0, 1_000).forEach(i -> limiter.tryAcquire("n" + i));

        assertThat(limiter.trackedNodes()).isLessThanOrEqualTo(100);
    }

    @Test
    void shouldRoundRetryAfterUpToWholeSeconds() {
        assertThat(limiter(settings(1, Duration.ofMillis(1_500))).retryAfterSeconds()).isEqualTo(2);
        assertThat(limiter(settings(1, Duration.ofMillis(100))).retryAfterSeconds()).isEqualTo(1);
    }

    private HeartbeatRateLimiter limiter(RateLimitSettings settings) {
        return new HeartbeatRateLimiter(settings, ticker, Runnable::run);
    }

    private static RateLimitSettings settings(int limit, Duration period) {
        return new RateLimitSettings(limit, period, Duration.ofMinutes(5), 200_000);
    }
}
