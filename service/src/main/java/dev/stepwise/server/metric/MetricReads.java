package dev.stepwise.server.metric;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads of the maintained per-key summaries; never scans metric points. */
@Service
public class MetricReads {

    private static final String COLUMNS = "key, n, min_value, max_value, mean, "
            + "case when finite_n > 0 then sqrt(greatest(m2, 0) / finite_n) end, last_value, first_step, last_step, "
            + "non_finite";

    private final JdbcTemplate jdbc;

    MetricReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Summaries of every key of a run, ordered by key. */
    @Transactional(readOnly = true)
    public List<MetricSummary> summaries(UUID runId) {
        return jdbc.query("select " + COLUMNS + " from metric_series where run_id = ? and n > 0 order by key",
                MetricReads::row, runId);
    }

    /** Summaries of the given keys (all keys when {@code keys} is null) for several runs. */
    @Transactional(readOnly = true)
    public Map<UUID, Map<String, MetricSummary>> summaries(Collection<UUID> runIds, Collection<String> keys) {
        Map<UUID, Map<String, MetricSummary>> result = new HashMap<>();
        if (runIds.isEmpty()) {
            return result;
        }
        String sql = "select run_id, " + COLUMNS + " from metric_series where run_id = any(?) and n > 0"
                + (keys == null ? "" : " and key = any(?)") + " order by key";
        Object[] args = keys == null ? new Object[] {runIds.toArray(UUID[]::new)}
                : new Object[] {runIds.toArray(UUID[]::new), keys.toArray(String[]::new)};
        jdbc.query(sql, rs -> {
            UUID run = rs.getObject(1, UUID.class);
            MetricSummary summary = new MetricSummary(rs.getString(2), rs.getLong(3), Columns.nullable(rs, 4),
                    Columns.nullable(rs, 5), Columns.nullable(rs, 6), Columns.nullable(rs, 7), rs.getDouble(8),
                    rs.getLong(9), rs.getLong(10), rs.getLong(11));
            result.computeIfAbsent(run, k -> new LinkedHashMap<>()).put(summary.key(), summary);
        }, args);
        return result;
    }

    /** Receives the points of a run, ordered by key, step and upload order. */
    @FunctionalInterface
    public interface PointVisitor {
        void accept(String key, long step, double value);
    }

    /** Streams every point of a run (key, step, upload order) without loading them all at once. */
    @Transactional(readOnly = true)
    public void scanPoints(UUID runId, PointVisitor visitor) {
        jdbc.query(con -> {
            var ps = con.prepareStatement("select s.key, p.step, p.value from metric_series s "
                    + "join metric_points p on p.series_id = s.id where s.run_id = ? order by s.key, p.step, p.seq");
            ps.setObject(1, runId);
            ps.setFetchSize(10_000);
            return ps;
        }, rs -> {
            visitor.accept(rs.getString(1), rs.getLong(2), rs.getDouble(3));
        });
    }

    /** One raw point with its epoch (null when it has none) and time in epoch milliseconds. */
    public record RawPoint(long step, double value, Integer epoch, long timeMillis) {}

    /**
     * One page of a key's raw points in step and upload order, optionally limited to steps
     * {@code fromStep..toStep} (inclusive, null for open); {@code offset} counts points skipped.
     */
    @Transactional(readOnly = true)
    public List<RawPoint> points(UUID runId, String key, Long fromStep, Long toStep, long offset, int limit) {
        return jdbc.query("select p.step, p.value, p.epoch, p.time_ms from metric_series s "
                + "join metric_points p on p.series_id = s.id where s.run_id = ? and s.key = ? "
                + "and p.step >= ? and p.step <= ? order by p.step, p.seq offset ? limit ?",
                (rs, i) -> new RawPoint(rs.getLong(1), rs.getDouble(2), rs.getObject(3, Integer.class), rs.getLong(4)),
                runId, key, fromStep == null ? Long.MIN_VALUE : fromStep, toStep == null ? Long.MAX_VALUE : toStep,
                offset, limit);
    }

    /** The point that is {@code last} in a key's summary (greatest step, last uploaded), with its time. */
    public record LatestPoint(String key, double value, long step, long timeMillis) {}

    /** The latest point of every key of each run, ordered by key. */
    @Transactional(readOnly = true)
    public Map<UUID, List<LatestPoint>> latest(Collection<UUID> runIds) {
        Map<UUID, List<LatestPoint>> result = new HashMap<>();
        if (runIds.isEmpty()) {
            return result;
        }
        jdbc.query("select s.run_id, s.key, s.last_value, s.last_step, coalesce(p.time_ms, 0) from metric_series s "
                + "left join metric_points p on p.series_id = s.id and p.step = s.last_step and p.seq = s.last_seq "
                + "where s.run_id = any(?) and s.n > 0 order by s.key", rs -> {
                    result.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>())
                            .add(new LatestPoint(rs.getString(2), rs.getDouble(3), rs.getLong(4), rs.getLong(5)));
                }, (Object) runIds.toArray(UUID[]::new));
        return result;
    }

    /** The series id and extent of one key of a run. */
    record SeriesRef(long id, long n, long firstStep, long lastStep) {}

    Optional<SeriesRef> series(UUID runId, String key) {
        return jdbc.query("select id, n, first_step, last_step from metric_series where run_id = ? and key = ?",
                rs -> rs.next() ? Optional.of(new SeriesRef(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                        : Optional.<SeriesRef>empty(), runId, key);
    }

    private static MetricSummary row(ResultSet rs, int i) throws SQLException {
        return new MetricSummary(rs.getString(1), rs.getLong(2), Columns.nullable(rs, 3), Columns.nullable(rs, 4),
                Columns.nullable(rs, 5), Columns.nullable(rs, 6), rs.getDouble(7), rs.getLong(8), rs.getLong(9),
                rs.getLong(10));
    }
}
