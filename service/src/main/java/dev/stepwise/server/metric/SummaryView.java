package dev.stepwise.server.metric;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One key of {@code /summary}: the seed tracker's shape, snake_case on purpose. */
public record SummaryView(Double min, Double max, Double mean, Double std, double last, long n,
        @JsonProperty("first_step") long firstStep, @JsonProperty("last_step") long lastStep) {

    public static SummaryView of(MetricSummary s) {
        return new SummaryView(s.min(), s.max(), s.mean(), s.std(), s.last(), s.n(), s.firstStep(), s.lastStep());
    }
}
