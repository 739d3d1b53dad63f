package dev.stepwise.client;

import java.time.Instant;

/**
 * One raw metric point as stored on the server (the seed tracker's {@code RecordInfo}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param step the step
 * @param value the value; may be NaN or infinite
 * @param epoch the epoch, or {@code -1} when the point has none
 * @param time when the point was logged
 */
public record MetricPoint(long step, double value, long epoch, Instant time) {

    /** @return whether the point carries an epoch */
    public boolean hasEpoch() {
        return epoch >= 0;
    }
}
