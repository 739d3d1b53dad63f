package dev.stepwise.client.internal;

/**
 * One logged metric value on its way to the server. Not API: may change without notice. Immutable.
 */
public final class Point {
    /** The run the point belongs to. */
    public final RunState run;
    /** The metric key. */
    public final String key;
    /** The step, at least 0. */
    public final long step;
    /** The value; any double, NaN and infinities included. */
    public final double value;
    /** The epoch, or -1 when none. */
    public final long epoch;
    /** When it was logged, epoch milliseconds. */
    public final long timeMillis;

    /**
     * Creates a point.
     *
     * @param run the run
     * @param key the key
     * @param step the step
     * @param value the value
     * @param epoch the epoch or -1
     * @param timeMillis the time in epoch milliseconds
     */
    public Point(RunState run, String key, long step, double value, long epoch, long timeMillis) {
        this.run = run;
        this.key = key;
        this.step = step;
        this.value = value;
        this.epoch = epoch;
        this.timeMillis = timeMillis;
    }
}
