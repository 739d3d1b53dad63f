package dev.stepwise.client.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the upload worker believes about the server: up, or down with the time of the next probe.
 * A failure after the retry budget marks it down; probes then follow a capped exponential
 * backoff (100 ms, doubling, up to the probe interval), and any accepted request marks it up.
 * While it is down, batches go straight to the spool instead of waiting on retries.
 *
 * <p>Not API: may change without notice. Written by the worker only; {@link #down()} may be read
 * from any thread.
 */
final class ServerHealth {

    private static final long FIRST_PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    // A floor keeps a zero probe interval from spinning on a refused connection.
    private static final long MIN_PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final long capNanos;
    private final Warnings warnings;
    private final String spoolDir;
    private volatile boolean down;
    private long nextProbeNanos;
    private long delayNanos;

    /**
     * Creates the state of a server believed up.
     *
     * @param probeInterval the longest time between two probes
     * @param warnings where the first failure is reported
     * @param spoolDir named in that warning
     */
    ServerHealth(Duration probeInterval, Warnings warnings, String spoolDir) {
        this.capNanos = Math.max(MIN_PROBE_NANOS, probeInterval.toNanos());
        this.warnings = warnings;
        this.spoolDir = spoolDir;
    }

    /** @return whether the server is believed down */
    boolean down() {
        return down;
    }

    /** @return whether requests should wait: down and the next probe not yet due */
    boolean waiting() {
        return down && System.nanoTime() < nextProbeNanos;
    }

    /** @return the {@link System#nanoTime()} of the next probe (meaningful while down) */
    long nextProbeNanos() {
        return nextProbeNanos;
    }

    /** Records an accepted request. */
    void up() {
        down = false;
    }

    /** Records a failure that outlasted the retries; schedules the next probe with backoff. */
    void failed(String reason) {
        if (!down) {
            warnings.warn("server-down", "Stepwise server unavailable (" + reason
                    + "); spooling to " + spoolDir + " and replaying when it is back");
            delayNanos = Math.min(capNanos, FIRST_PROBE_NANOS);
        } else {
            delayNanos = Math.min(capNanos, delayNanos * 2);
        }
        down = true;
        nextProbeNanos = System.nanoTime() + delayNanos;
    }

    /** Stops all probing (the client is closing). */
    void stop() {
        down = true;
        nextProbeNanos = Long.MAX_VALUE;
    }
}
