package dev.stepwise.server.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;

/**
 * Loads long synthetic series straight into PostgreSQL, for measurements that need millions of
 * points per key (logging 20M points over HTTP takes minutes).
 *
 * <p>It mirrors what {@code MetricWriter} leaves behind after ingesting the same points in step
 * order: one {@code metric_series} row per key with its running summary (n, finite/non-finite
 * counts, mean, m2 = sum of squared deviations, min/max over finite values, last point by (step,
 * seq), first step, next seq); the points with {@code seq} counting from 0 per series; rollups at
 * the levels of {@code Rollups.SHIFTS} (e.g. {4, 8, 12, 16, 20}) with n, min/max over non-NaN values and
 * the last point by (step, seq); and per-epoch aggregates (n, finite n, sum/min/max over finite
 * values, last point). Every aggregate is computed from the stored points (higher rollup levels
 * from the level below, which is the same merge), so the server's reads answer exactly as for
 * ingested data. Keys are loaded in parallel, one transaction each.
 */
final class BulkMetricLoader {

    /** The server's rollup resolutions ({@code Rollups.SHIFTS}, package-private), so the loader cannot drift from them. */
    private static final int[] SHIFTS = serverRollupShifts();
    private static final long START_MS = 1_767_225_600_000L;

    private static final String LAST_OF_POINTS = "(max(array[step::float8, seq::float8, value]))[1]::bigint, "
            + "(max(array[step::float8, seq::float8, value]))[2]::bigint, "
            + "(max(array[step::float8, seq::float8, value]))[3]";

    private final DataSource dataSource;

    BulkMetricLoader(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Gives the run {@code pointsPerKey} points for each key at steps {@code 0..pointsPerKey-1},
     * one epoch every {@code stepsPerEpoch} steps, 5 ms apart: a decaying curve with noise and a
     * rare spike, shifted per key.
     */
    void load(UUID runId, List<String> keys, long pointsPerKey, int stepsPerEpoch) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> loads = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                int keyIndex = i;
                loads.add(pool.submit(() -> {
                    loadKey(runId, keys.get(keyIndex), keyIndex, pointsPerKey, stepsPerEpoch);
                    return null;
                }));
            }
            for (Future<?> load : loads) {
                try {
                    load.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void loadKey(UUID runId, String key, int keyIndex, long points, int stepsPerEpoch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            update(c, "set local work_mem = '64MB'");
            long seriesId;
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into metric_series (run_id, key) values (?, ?) returning id")) {
                ps.setObject(1, runId);
                ps.setString(2, key);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    seriesId = rs.getLong(1);
                }
            }
            // float8 arithmetic throughout: numeric literals would make the expression ten times slower.
            update(c, "insert into metric_points (series_id, step, seq, epoch, time_ms, value) "
                    + "select ?, g, g, (g / ?)::int, ? + g * 5, "
                    + "(1 + ?::float8 * 0.05::float8) * exp(-x / 300000) + 0.05::float8 * sin(x / 2000 + ?::float8) "
                    + "+ 0.02::float8 * ((g * 7919) % 101) / 101 + case when g % 100003 = 17 then 0.8::float8 else 0 end "
                    + "from (select g, g::float8 x from generate_series(0::bigint, ? - 1) g) s",
                    seriesId, stepsPerEpoch, START_MS, keyIndex, keyIndex, points);
            // Level 0 from the points; the last point by (step, seq) is the greatest [step, seq, value]
            // array (float8 arrays compare element-wise), as in the server's time-axis read.
            update(c, "insert into metric_rollups (series_id, level, block, n, min_value, max_value, last_step, "
                    + "last_seq, last_value) "
                    + "select series_id, 0, step >> " + SHIFTS[0] + ", count(*), min(value) filter (where value <> 'NaN'::float8), "
                    + "max(value) filter (where value <> 'NaN'::float8), " + LAST_OF_POINTS + " "
                    + "from metric_points where series_id = ? group by series_id, step >> " + SHIFTS[0],
                    seriesId);
            for (int level = 1; level < SHIFTS.length; level++) {
                int shift = SHIFTS[level] - SHIFTS[level - 1];
                update(c, "insert into metric_rollups (series_id, level, block, n, min_value, max_value, last_step, "
                        + "last_seq, last_value) "
                        + "select series_id, ?, block >> " + shift + ", sum(n), min(min_value), max(max_value), "
                        + "(max(array[last_step::float8, last_seq::float8, last_value]))[1]::bigint, "
                        + "(max(array[last_step::float8, last_seq::float8, last_value]))[2]::bigint, "
                        + "(max(array[last_step::float8, last_seq::float8, last_value]))[3] "
                        + "from metric_rollups where series_id = ? and level = ? group by series_id, block >> " + shift,
                        level, seriesId, level - 1);
            }
            String finite = "value not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)";
            update(c, "insert into metric_epochs (series_id, epoch, n, finite_n, sum_value, max_value, min_value, "
                    + "last_step, last_seq, last_value) "
                    + "select series_id, epoch, count(*), count(*) filter (where " + finite + "), "
                    + "coalesce(sum(value) filter (where " + finite + "), 0), max(value) filter (where " + finite + "), "
                    + "min(value) filter (where " + finite + "), "
                    + LAST_OF_POINTS + " "
                    + "from metric_points where series_id = ? and epoch is not null group by series_id, epoch",
                    seriesId);
            update(c, "update metric_series s set n = a.n, finite_n = a.finite_n, non_finite = a.n - a.finite_n, "
                    + "mean = a.mean, m2 = a.m2, min_value = a.min_value, max_value = a.max_value, "
                    + "last_value = a.last[3], last_step = a.last[1]::bigint, last_seq = a.last[2]::bigint, "
                    + "first_step = a.first_step, next_seq = a.next_seq "
                    + "from (select count(*) n, count(*) filter (where " + finite + ") finite_n, "
                    + "avg(value) filter (where " + finite + ") mean, "
                    + "var_pop(value) filter (where " + finite + ") * count(*) filter (where " + finite + ") m2, "
                    + "min(value) filter (where " + finite + ") min_value, "
                    + "max(value) filter (where " + finite + ") max_value, "
                    + "max(array[step::float8, seq::float8, value]) last, min(step) first_step, max(seq) + 1 next_seq "
                    + "from metric_points where series_id = ?) a where s.id = ?",
                    seriesId, seriesId);
            c.commit();
        }
    }

    private static int[] serverRollupShifts() {
        try {
            java.lang.reflect.Field field = Class.forName("dev.stepwise.server.metric.Rollups").getDeclaredField("SHIFTS");
            field.setAccessible(true);
            return ((int[]) field.get(null)).clone();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the server's rollup levels", e);
        }
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
