package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class RetryPolicyTests {

    private final RetryPolicy policy = RetryPolicy.builder().initialBackoff(Duration.ofMillis(500))
            .maxBackoff(Duration.ofSeconds(30)).multiplier(2).jitter(0.2).maxRetryAfter(Duration.ofSeconds(60)).build();

    @Test
    void backoffDoublesUpToTheCap() {
        assertThat(policy.delayBeforeRetry(1, null, 0)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.delayBeforeRetry(2, null, 0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayBeforeRetry(4, null, 0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayBeforeRetry(20, null, 0)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void jitterTakesAtMostItsFractionOff() {
        assertThat(policy.delayBeforeRetry(1, null, 0.999)).isBetween(Duration.ofMillis(400), Duration.ofMillis(500));
        assertThat(policy.delayBeforeRetry(20, null, 0.5)).isEqualTo(Duration.ofSeconds(27));
    }

    @Test
    void retryAfterReplacesTheBackoffUpToItsCap() {
        assertThat(policy.delayBeforeRetry(1, Duration.ofSeconds(7), 0.9)).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.delayBeforeRetry(1, Duration.ofHours(1), 0)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void builderRejectsInvalidValues() {
        assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RetryPolicy.builder().initialBackoff(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
