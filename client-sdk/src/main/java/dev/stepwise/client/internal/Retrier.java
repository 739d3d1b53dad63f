package dev.stepwise.client.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ThreadLocalRandom;

import dev.stepwise.client.RetryPolicy;
import dev.stepwise.client.Sleeper;

/**
 * Runs one request with the retry policy: retries I/O errors, 408, 429 and 5xx with capped,
 * jittered exponential backoff or the server's {@code Retry-After}; never retries other 4xx.
 * Not API: may change without notice. Thread-safe.
 */
public final class Retrier {

    /** How a request ended. */
    public enum Kind {
        /** A 2xx answer. */
        OK,
        /** A non-retryable answer (4xx other than 408 and 429). */
        REJECTED,
        /** Attempts or time ran out while the failure was retryable. */
        GAVE_UP
    }

    /**
     * The end of a request.
     *
     * @param kind how it ended
     * @param response the last answer, or {@code null} after an I/O error
     * @param reason a human-readable reason when not OK
     */
    public record Outcome(Kind kind, HttpApi.Response response, String reason) {
    }

    /** One attempt of a request. */
    @FunctionalInterface
    public interface Call {
        /**
         * Performs the request once.
         *
         * @param timeout the time the attempt may take
         * @return the answer
         * @throws IOException on transport failure
         * @throws InterruptedException when interrupted
         */
        HttpApi.Response call(Duration timeout) throws IOException, InterruptedException;
    }

    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Duration requestTimeout;
    private final Counters counters;

    /**
     * Creates a retrier.
     *
     * @param policy the retry policy
     * @param sleeper waits between attempts
     * @param clock reads the time for {@code Retry-After} dates
     * @param requestTimeout longest time of one attempt
     * @param counters where retries are counted
     */
    public Retrier(RetryPolicy policy, Sleeper sleeper, Clock clock, Duration requestTimeout, Counters counters) {
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
        this.requestTimeout = requestTimeout;
        this.counters = counters;
    }

    /**
     * Whether an HTTP status is worth retrying.
     *
     * @param status the status
     * @return true for 408, 429 and 5xx
     */
    public static boolean retryable(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /**
     * Runs a request with up to the policy's attempts.
     *
     * @param call the request
     * @param deadlineNanos {@link System#nanoTime()} after which no attempt starts and no wait ends
     * @return the outcome
     * @throws InterruptedException when interrupted while sending or waiting
     */
    public Outcome execute(Call call, long deadlineNanos) throws InterruptedException {
        return execute(call, policy.maxAttempts(), () -> deadlineNanos);
    }

    /**
     * Runs a request with a given number of attempts and a fixed deadline.
     *
     * @param call the request
     * @param maxAttempts attempts, at least 1
     * @param deadlineNanos {@link System#nanoTime()} after which no attempt starts and no wait ends
     * @return the outcome
     * @throws InterruptedException when interrupted while sending or waiting
     */
    public Outcome execute(Call call, int maxAttempts, long deadlineNanos) throws InterruptedException {
        return execute(call, maxAttempts, () -> deadlineNanos);
    }

    /**
     * Runs a request with a given number of attempts.
     *
     * @param call the request
     * @param maxAttempts attempts, at least 1
     * @param deadline reads the {@link System#nanoTime()} deadline before every attempt and wait,
     *                 so that a deadline set meanwhile (by close) is honored
     * @return the outcome
     * @throws InterruptedException when interrupted while sending or waiting
     */
    public Outcome execute(Call call, int maxAttempts, java.util.function.LongSupplier deadline)
            throws InterruptedException {
        String reason = "no attempt made before the deadline";
        HttpApi.Response last = null;
        for (int attempt = 1; ; attempt++) {
            long left = deadline.getAsLong() - System.nanoTime();
            if (left <= 0) {
                return new Outcome(Kind.GAVE_UP, last, reason + " (deadline reached)");
            }
            Duration timeout = Duration.ofNanos(Math.min(requestTimeout.toNanos(), left));
            Duration retryAfter = null;
            try {
                HttpApi.Response r = call.call(timeout);
                last = r;
                if (r.ok()) {
                    return new Outcome(Kind.OK, r, null);
                }
                if (!retryable(r.status())) {
                    return new Outcome(Kind.REJECTED, r, "HTTP " + r.status() + ": " + r.reason());
                }
                reason = "HTTP " + r.status() + ": " + r.reason();
                retryAfter = parseRetryAfter(r.retryAfter(), clock);
            } catch (IOException e) {
                reason = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
            }
            if (attempt >= maxAttempts) {
                return new Outcome(Kind.GAVE_UP, last, reason + " (after " + attempt + " attempts)");
            }
            Duration delay = policy.delayBeforeRetry(attempt, retryAfter, ThreadLocalRandom.current().nextDouble());
            if (System.nanoTime() + delay.toNanos() > deadline.getAsLong()) {
                return new Outcome(Kind.GAVE_UP, last, reason + " (retry would pass the deadline)");
            }
            counters.retried.increment();
            sleeper.sleep(delay);
            if (System.nanoTime() > deadline.getAsLong()) {
                return new Outcome(Kind.GAVE_UP, last, reason + " (deadline reached)");
            }
        }
    }

    /**
     * Parses a {@code Retry-After} header: delay seconds or an HTTP date.
     *
     * @param value the header value, or {@code null}
     * @param clock the clock that dates are compared with
     * @return the delay, or {@code null} when absent or unreadable
     */
    public static Duration parseRetryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return Duration.ofSeconds(Math.max(0, seconds));
        } catch (NumberFormatException ignored) {
            // not delay-seconds: try an HTTP date
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
