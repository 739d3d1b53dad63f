package dev.stepwise.client;

import java.time.Duration;

/**
 * Waits between retries; injected so that tests never wait on wall time.
 *
 * <p>The default, {@link #system()}, calls {@link Thread#sleep(long)}. Implementations must be
 * thread-safe and should return early with {@link InterruptedException} when interrupted.
 */
@FunctionalInterface
public interface Sleeper {

    /**
     * Waits for the given duration.
     *
     * @param duration how long to wait; never negative
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Returns the sleeper that really sleeps.
     *
     * @return a sleeper backed by {@link Thread#sleep(long)}
     */
    static Sleeper system() {
        return duration -> {
            long millis = duration.toMillis();
            if (millis > 0) {
                Thread.sleep(millis);
            }
        };
    }
}
