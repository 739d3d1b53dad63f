package dev.stepwise.server.metric;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Per-epoch summaries. Mean, last, max, min and sum come from the per-epoch aggregates maintained
 * at ingest; medians are computed from the raw points of the key. Both are read in the request's
 * transaction, so every point accepted before the request is included.
 */
@Component
class EpochReducer {

    /** One reduced value. {@code value} is NaN when the epoch had no finite value to reduce. */
    record EpochValue(String key, int epoch, double value, EpochReduction reduction, long n) {}

    /** A per-project override: keys matching the glob {@code pattern} ({@code *} = any characters) use {@code reduction}. */
    record Rule(String pattern, EpochReduction reduction) {}

    private final JdbcTemplate jdbc;

    EpochReducer(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    List<EpochValue> epochs(long projectId, UUID runId, String key) {
        List<CompiledRule> rules = compile(rules(projectId));
        record SeriesKey(long id, String key) {}
        List<SeriesKey> series = jdbc.query("select id, key from metric_series where run_id = ?"
                        + (key == null ? "" : " and key = ?") + " order by key",
                (rs, i) -> new SeriesKey(rs.getLong(1), rs.getString(2)),
                key == null ? new Object[] {runId} : new Object[] {runId, key});
        List<EpochValue> result = new ArrayList<>();
        for (SeriesKey s : series) {
            EpochReduction reduction = firstMatch(s.key(), rules);
            Map<Integer, Double> medians = reduction == EpochReduction.MEDIAN ? medians(s.id()) : Map.of();
            jdbc.query("select epoch, n, finite_n, sum_value, max_value, min_value, last_value from metric_epochs "
                    + "where series_id = ? order by epoch", rs -> {
                        int epoch = rs.getInt(1);
                        long finite = rs.getLong(3);
                        double value = switch (reduction) {
                            case MEAN -> finite == 0 ? Double.NaN : rs.getDouble(4) / finite;
                            case SUM -> rs.getDouble(4);
                            case MAX -> Columns.nanIfNull(rs, 5);
                            case MIN -> Columns.nanIfNull(rs, 6);
                            case LAST -> rs.getDouble(7);
                            case MEDIAN -> medians.getOrDefault(epoch, Double.NaN);
                        };
                        result.add(new EpochValue(s.key(), epoch, value, reduction, rs.getLong(2)));
                    }, s.id());
        }
        return result;
    }

    /** Medians of finite values per epoch; percentile_cont(0.5) averages the two middle values of an even count. */
    private Map<Integer, Double> medians(long seriesId) {
        Map<Integer, Double> medians = new HashMap<>();
        jdbc.query("select epoch, percentile_cont(0.5) within group (order by value) from metric_points "
                + "where series_id = ? and epoch is not null and value not in ('NaN', 'Infinity', '-Infinity') "
                + "group by epoch", rs -> {
                    medians.put(rs.getInt(1), rs.getDouble(2));
                }, seriesId);
        return medians;
    }

    @Transactional(readOnly = true)
    List<Rule> rules(long projectId) {
        return jdbc.query("select key_pattern, reduction from epoch_reduction_rules where project_id = ? "
                + "order by id", (rs, i) -> new Rule(rs.getString(1),
                EpochReduction.parse(rs.getString(2))), projectId);
    }

    @Transactional
    void replaceRules(long projectId, List<Rule> rules) {
        jdbc.update("delete from epoch_reduction_rules where project_id = ?", projectId);
        jdbc.batchUpdate("insert into epoch_reduction_rules (project_id, key_pattern, reduction) values (?, ?, ?)",
                rules.stream().map(r -> new Object[] {projectId, r.pattern(), r.reduction().wire()}).toList());
    }

    /** The first matching rule, in the order the project listed them, wins; otherwise the default for the key. */
    static EpochReduction reductionFor(String key, List<Rule> rules) {
        return firstMatch(key, compile(rules));
    }

    /** A rule with its pattern compiled once per request, not once per key. */
    record CompiledRule(Glob glob, EpochReduction reduction) {}

    static List<CompiledRule> compile(List<Rule> rules) {
        return rules.stream().map(r -> new CompiledRule(Glob.of(r.pattern()), r.reduction())).toList();
    }

    static EpochReduction firstMatch(String key, List<CompiledRule> rules) {
        for (CompiledRule rule : rules) {
            if (rule.glob().matches(key)) {
                return rule.reduction();
            }
        }
        return EpochReduction.defaultFor(key);
    }
}
