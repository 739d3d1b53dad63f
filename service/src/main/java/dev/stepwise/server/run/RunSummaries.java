package dev.stepwise.server.run;

import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Metric summaries as the run module shows and queries them. The metric module, which owns the
 * summary tables, implements it; the run module never names those tables itself.
 */
public interface RunSummaries {

    /** The statistics a run list can filter and sort on. */
    java.util.List<String> STATS = java.util.List.of("min", "max", "mean", "last", "n");

    /** Summaries of every key of a run, ordered by key. */
    Map<String, SummaryView> of(UUID runId);

    /** Summaries of the given keys (every key when {@code keys} is null) for several runs, ordered by key. */
    Map<UUID, Map<String, SummaryView>> of(Collection<UUID> runIds, Collection<String> keys);

    /**
     * SQL to join a summary statistic into a query over {@code runs r}: a join clause and the value
     * expression (null when the run has no such key). {@code bind} turns a value into a named
     * parameter reference, so nothing a caller passed is ever part of the SQL text.
     *
     * @param alias a table alias unique within the query
     * @param key the metric key
     * @param stat one of {@link #STATS}
     */
    SummaryColumn column(String alias, String key, String stat, Function<Object, String> bind);

    /** A join clause (starting with a space) and the SQL expression of the value. */
    record SummaryColumn(String join, String value) {}
}
