package dev.stepwise.server.metric;

/**
 * Running summary of one metric key of a run. {@code min}, {@code max}, {@code mean} and
 * {@code std} (population) cover finite values only and are null when there is none; {@code last}
 * is the value at the greatest step (ties: the last uploaded) and may be non-finite.
 */
public record MetricSummary(String key, long n, Double min, Double max, Double mean, Double std, double last,
        long firstStep, long lastStep, long nonFinite) {}
