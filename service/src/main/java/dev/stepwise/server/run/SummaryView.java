package dev.stepwise.server.run;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One key of a run's summary ({@code /summary}, {@code GET …/runs/{id}}, {@code summaryKey}): the
 * seed tracker's shape, snake_case on purpose. {@code min}, {@code max}, {@code mean} and
 * {@code std} cover finite values and are null when there is none; {@code last} may be non-finite.
 */
public record SummaryView(Double min, Double max, Double mean, Double std, double last, long n,
        @JsonProperty("first_step") long firstStep, @JsonProperty("last_step") long lastStep) {}
