package dev.stepwise.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How uploads are retried: capped exponential backoff with jitter, honoring {@code Retry-After}.
 *
 * <p>I/O errors and the statuses 408, 429 and 5xx are retried; any other 4xx is not. The wait
 * before retry {@code n} (1-based) is {@code min(maxBackoff, initialBackoff * multiplier^(n-1))},
 * reduced by a random fraction of at most {@code jitter}; a {@code Retry-After} answer replaces
 * it (up to {@code maxRetryAfter}). After {@code maxAttempts} attempts the batch goes to the spool.
 *
 * <p>Immutable and thread-safe; create with {@link #builder()} or take {@link #defaults()}.
 */
public final class RetryPolicy {

    private static final RetryPolicy DEFAULTS = builder().build();

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final double multiplier;
    private final double jitter;
    private final Duration maxRetryAfter;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.multiplier = b.multiplier;
        this.jitter = b.jitter;
        this.maxRetryAfter = b.maxRetryAfter;
    }

    /**
     * Returns the default policy: 5 attempts, 500 ms initial backoff doubling up to 30 s,
     * 20 % jitter, {@code Retry-After} honored up to 60 s.
     *
     * @return the default policy
     */
    public static RetryPolicy defaults() {
        return DEFAULTS;
    }

    /**
     * Starts a builder preset with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return total attempts per request, the first included (at least 1) */
    public int maxAttempts() {
        return maxAttempts;
    }

    /** @return the wait before the first retry */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /** @return the cap on the exponential wait */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /** @return the growth factor between consecutive waits */
    public double multiplier() {
        return multiplier;
    }

    /** @return the largest fraction (0..1) randomly taken off a wait */
    public double jitter() {
        return jitter;
    }

    /** @return the longest {@code Retry-After} that is honored as given; longer ones are capped to it */
    public Duration maxRetryAfter() {
        return maxRetryAfter;
    }

    /**
     * Computes the wait before a retry.
     *
     * @param retry the retry number, 1 for the first retry
     * @param retryAfter the server's {@code Retry-After}, or {@code null}
     * @param random a number in {@code [0, 1)} used for the jitter
     * @return how long to wait
     */
    public Duration delayBeforeRetry(int retry, Duration retryAfter, double random) {
        if (retryAfter != null) {
            Duration d = retryAfter.isNegative() ? Duration.ZERO : retryAfter;
            return d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d;
        }
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
        double capped = Math.min(base, (double) maxBackoff.toNanos());
        double jittered = capped * (1.0 - jitter * random);
        return Duration.ofNanos((long) jittered);
    }

    @Override
    public String toString() {
        return "RetryPolicy[maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
                + ", maxBackoff=" + maxBackoff + ", multiplier=" + multiplier + ", jitter=" + jitter
                + ", maxRetryAfter=" + maxRetryAfter + "]";
    }

    /** Builds a {@link RetryPolicy}; not thread-safe. */
    public static final class Builder {
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private double multiplier = 2.0;
        private double jitter = 0.2;
        private Duration maxRetryAfter = Duration.ofSeconds(60);

        private Builder() {
        }

        /**
         * Sets the total attempts per request, the first included. Default 5.
         *
         * @param maxAttempts at least 1
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * Sets the wait before the first retry. Default 500 ms.
         *
         * @param initialBackoff not negative
         * @return this builder
         */
        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = nonNegative(initialBackoff, "initialBackoff");
            return this;
        }

        /**
         * Sets the cap on the exponential wait. Default 30 s.
         *
         * @param maxBackoff not negative
         * @return this builder
         */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = nonNegative(maxBackoff, "maxBackoff");
            return this;
        }

        /**
         * Sets the growth factor between waits. Default 2.
         *
         * @param multiplier at least 1
         * @return this builder
         */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1.0)) {
                throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
            }
            this.multiplier = multiplier;
            return this;
        }

        /**
         * Sets the largest random fraction taken off each wait. Default 0.2; 0 turns jitter off.
         *
         * @param jitter between 0 and 1
         * @return this builder
         */
        public Builder jitter(double jitter) {
            if (!(jitter >= 0.0 && jitter <= 1.0)) {
                throw new IllegalArgumentException("jitter must be in [0, 1], was " + jitter);
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * Sets the longest {@code Retry-After} honored as given. Default 60 s.
         *
         * @param maxRetryAfter not negative
         * @return this builder
         */
        public Builder maxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = nonNegative(maxRetryAfter, "maxRetryAfter");
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return the immutable policy
         */
        public RetryPolicy build() {
            return new RetryPolicy(this);
        }

        private static Duration nonNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, was " + d);
            }
            return d;
        }
    }
}
