package dev.stepwise.client.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Sends a heartbeat for every open run from one daemon thread ({@code stepwise-heartbeat}) at a
 * fixed interval, so the server can tell a live trainer from a killed one; runs the server does
 * not have yet, and rounds while the uploader considers the server down or is closing, are
 * skipped, because a missed heartbeat is harmless (uploads count as signs of life too).
 *
 * <p>Not API: may change without notice. Thread-safe.
 */
final class Heartbeater {

    private final HttpApi api;
    private final BooleanSupplier paused;
    private final Map<UUID, RunState> runs = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    /**
     * Starts the heartbeat thread.
     *
     * @param api where heartbeats go
     * @param every the interval, positive
     * @param paused true while heartbeats should be skipped (server down, closing)
     */
    Heartbeater(HttpApi api, Duration every, BooleanSupplier paused) {
        this.api = api;
        this.paused = paused;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stepwise-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long millis = Math.max(1, every.toMillis());
        timer.scheduleAtFixedRate(this::beat, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Starts sending heartbeats for a run. */
    void add(RunState run) {
        runs.put(run.id, run);
    }

    /** Stops sending heartbeats for a run. */
    void remove(UUID runId) {
        runs.remove(runId);
    }

    /** Stops the thread at once. */
    void stop() {
        timer.shutdownNow();
    }

    private void beat() {
        for (RunState run : runs.values()) {
            if (!run.created || paused.getAsBoolean()) {
                continue;
            }
            try {
                api.heartbeat(run.project, run.id);
            } catch (IOException | RuntimeException ignored) {
                // a missed heartbeat is harmless; uploads also count as signs of life
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
