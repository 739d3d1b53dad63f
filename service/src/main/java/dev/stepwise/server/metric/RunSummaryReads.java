package dev.stepwise.server.metric;

import dev.stepwise.server.run.RunSummaries;
import dev.stepwise.server.run.SummaryView;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/** The run module's view of metric summaries, read from {@code metric_series}. */
@Component
class RunSummaryReads implements RunSummaries {

    private final MetricReads reads;

    RunSummaryReads(MetricReads reads) {
        this.reads = reads;
    }

    @Override
    public Map<String, SummaryView> of(UUID runId) {
        Map<String, SummaryView> result = new LinkedHashMap<>();
        reads.summaries(runId).forEach(s -> result.put(s.key(), view(s)));
        return result;
    }

    @Override
    public Map<UUID, Map<String, SummaryView>> of(Collection<UUID> runIds, Collection<String> keys) {
        Map<UUID, Map<String, SummaryView>> result = new LinkedHashMap<>();
        reads.summaries(runIds, keys).forEach((run, byKey) -> {
            Map<String, SummaryView> views = new LinkedHashMap<>();
            byKey.forEach((key, s) -> views.put(key, view(s)));
            result.put(run, views);
        });
        return result;
    }

    @Override
    public SummaryColumn column(String alias, String key, String stat, Function<Object, String> bind) {
        String join = " left join metric_series " + alias + " on " + alias + ".run_id = r.id and " + alias
                + ".key = " + bind.apply(key);
        String value = switch (stat) {
            case "min" -> alias + ".min_value";
            case "max" -> alias + ".max_value";
            case "mean" -> alias + ".mean";
            case "n" -> alias + ".n";
            // NaN sorts above every number in PostgreSQL; treat a non-finite last like a missing one.
            case "last" -> "(case when " + alias + ".last_value in ('NaN', 'Infinity', '-Infinity') then null else "
                    + alias + ".last_value end)";
            default -> throw new IllegalArgumentException("unknown statistic " + stat);
        };
        return new SummaryColumn(join, value);
    }

    static SummaryView view(MetricSummary s) {
        return new SummaryView(s.min(), s.max(), s.mean(), s.std(), s.last(), s.n(), s.firstStep(), s.lastStep());
    }
}
