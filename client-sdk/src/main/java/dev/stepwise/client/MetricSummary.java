package dev.stepwise.client;

/**
 * The statistics of one metric key of a run, as {@code GET /runs/{id}/summary} reports them
 * (the seed tracker's {@code summary()} shape).
 *
 * <p>Immutable and thread-safe.
 *
 * @param min least finite value, NaN when the key has no finite value
 * @param max greatest finite value, NaN when the key has no finite value
 * @param mean mean of the finite values, NaN when there are none
 * @param std population standard deviation (ddof 0) of the finite values, NaN when there are none
 * @param last value of the point with the greatest step (ties: the last uploaded); may be non-finite
 * @param n number of points, non-finite ones included
 * @param firstStep least step
 * @param lastStep greatest step
 */
public record MetricSummary(double min, double max, double mean, double std, double last, long n, long firstStep,
                            long lastStep) {
}
