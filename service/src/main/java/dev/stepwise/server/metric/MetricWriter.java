package dev.stepwise.server.metric;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Writes one validated batch inside the caller's transaction: points by {@code COPY}, then the
 * per-key summaries, per-block rollups and (through {@link EpochWriter}) per-epoch aggregates. The series rows are locked (in
 * key order) before sequence numbers are assigned, so concurrent uploads to the same run cannot
 * lose summary updates or interleave sequence numbers.
 */
@Component
class MetricWriter {

    private final DataSource dataSource;

    MetricWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records the batch id; false when the batch was stored before (or is being stored right now). */
    boolean claimBatch(UUID runId, String batchId, int accepted) throws SQLException {
        Connection c = DataSourceUtils.getConnection(dataSource);
        try (PreparedStatement ps = c.prepareStatement(
                "insert into ingest_batches (run_id, batch_id, accepted) values (?, ?, ?) on conflict do nothing")) {
            ps.setObject(1, runId);
            ps.setString(2, batchId);
            ps.setInt(3, accepted);
            return ps.executeUpdate() == 1;
        }
    }

    void write(UUID runId, PointBatch batch) throws SQLException, IOException {
        Connection c = DataSourceUtils.getConnection(dataSource);
        List<String> keys = batch.keys();
        SeriesState[] series = lockSeries(c, runId, keys);
        int n = batch.size();
        long[] seqs = new long[n];
        for (int i = 0; i < n; i++) {
            seqs[i] = series[batch.keyIndex()[i]].nextSeq++;
        }
        copyPoints(c, batch, series, seqs);
        updateSummaries(c, batch, series, seqs);
        upsertRollups(c, batch, series, seqs);
        long[] seriesIds = new long[series.length];
        for (int k = 0; k < series.length; k++) {
            seriesIds[k] = series[k].id;
        }
        EpochWriter.upsert(c, batch, seriesIds, seqs);
    }

    /** Creates missing series and locks all of them in key order; returns them indexed like {@code keys}. */
    private SeriesState[] lockSeries(Connection c, UUID runId, List<String> keys) throws SQLException {
        String[] sorted = keys.stream().sorted().toArray(String[]::new);
        try (PreparedStatement ps = c.prepareStatement("insert into metric_series (run_id, key) "
                + "select ?, k from unnest(?::text[]) as k order by k on conflict (run_id, key) do nothing")) {
            ps.setObject(1, runId);
            ps.setArray(2, c.createArrayOf("text", sorted));
            ps.executeUpdate();
        }
        Map<String, SeriesState> byKey = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select id, key, n, finite_n, non_finite, mean, m2, min_value, "
                + "max_value, last_value, last_step, last_seq, first_step, next_seq from metric_series "
                + "where run_id = ? and key = any(?) order by key for update")) {
            ps.setObject(1, runId);
            ps.setArray(2, c.createArrayOf("text", sorted));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SeriesState s = new SeriesState();
                    s.id = rs.getLong(1);
                    s.n = rs.getLong(3);
                    s.finiteN = rs.getLong(4);
                    s.nonFinite = rs.getLong(5);
                    s.mean = rs.getDouble(6);
                    s.m2 = rs.getDouble(7);
                    s.min = Columns.nanIfNull(rs, 8);
                    s.max = Columns.nanIfNull(rs, 9);
                    s.lastValue = Columns.nanIfNull(rs, 10);
                    s.lastStep = rs.getLong(11);
                    s.hasLast = !rs.wasNull();
                    s.previousLastStep = s.hasLast ? s.lastStep : -1;
                    s.lastSeq = rs.getLong(12);
                    s.firstStep = rs.getLong(13);
                    s.nextSeq = rs.getLong(14);
                    byKey.put(rs.getString(2), s);
                }
            }
        }
        SeriesState[] result = new SeriesState[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            result[i] = byKey.get(keys.get(i));
        }
        return result;
    }

    private static void copyPoints(Connection c, PointBatch batch, SeriesState[] series, long[] seqs)
            throws SQLException, IOException {
        int n = batch.size();
        BinaryCopy copy = new BinaryCopy(n * 70);
        for (int i = 0; i < n; i++) {
            copy.row(6).int8(series[batch.keyIndex()[i]].id).int8(batch.steps()[i]).int8(seqs[i]);
            int epoch = batch.epochs()[i];
            if (epoch == PointBatch.NO_EPOCH) {
                copy.nullValue();
            } else {
                copy.int4(epoch);
            }
            copy.int8(batch.times()[i]).float8(batch.values()[i]);
        }
        copy.copyInto(c, "metric_points (series_id, step, seq, epoch, time_ms, value)");
    }

    private static void updateSummaries(Connection c, PointBatch batch, SeriesState[] series, long[] seqs)
            throws SQLException {
        int n = batch.size();
        for (int i = 0; i < n; i++) {
            series[batch.keyIndex()[i]].add(batch.steps()[i], seqs[i], batch.values()[i]);
        }
        try (PreparedStatement ps = c.prepareStatement("update metric_series set n = ?, finite_n = ?, non_finite = ?, "
                + "mean = ?, m2 = ?, min_value = ?, max_value = ?, last_value = ?, last_step = ?, last_seq = ?, "
                + "first_step = ?, next_seq = ? where id = ?")) {
            for (SeriesState s : series) {
                ps.setLong(1, s.n);
                ps.setLong(2, s.finiteN);
                ps.setLong(3, s.nonFinite);
                setNullable(ps, 4, s.finiteN == 0 ? null : s.mean);
                setNullable(ps, 5, s.finiteN == 0 ? null : s.m2);
                setNullable(ps, 6, s.finiteN == 0 ? null : s.min);
                setNullable(ps, 7, s.finiteN == 0 ? null : s.max);
                ps.setDouble(8, s.lastValue);
                ps.setLong(9, s.lastStep);
                ps.setLong(10, s.lastSeq);
                ps.setLong(11, s.firstStep);
                ps.setLong(12, s.nextSeq);
                ps.setLong(13, s.id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void setNullable(PreparedStatement ps, int index, Double value) throws SQLException {
        if (value == null) {
            ps.setNull(index, java.sql.Types.DOUBLE);
        } else {
            ps.setDouble(index, value);
        }
    }

    /**
     * Adds the batch to the per-block rollups. A block past the series' previous last step cannot
     * exist yet (the series row is locked, and blocks are only written under that lock), so new
     * blocks are appended with {@code COPY}; only blocks the series already reached are upserted.
     */
    private static void upsertRollups(Connection c, PointBatch batch, SeriesState[] series, long[] seqs)
            throws SQLException, IOException {
        Map<BlockKey, Aggregate> blocks = new HashMap<>();
        int n = batch.size();
        int levelCount = Rollups.SHIFTS.length;
        // Steps mostly ascend: remember each key's current block per level and hash only on a change.
        Aggregate[] current = new Aggregate[series.length * levelCount];
        long[] currentBlock = new long[series.length * levelCount];
        for (int i = 0; i < n; i++) {
            int key = batch.keyIndex()[i];
            long step = batch.steps()[i];
            for (int level = 0; level < levelCount; level++) {
                int slot = key * levelCount + level;
                long block = step >> Rollups.SHIFTS[level];
                if (current[slot] == null || currentBlock[slot] != block) {
                    current[slot] = blocks.computeIfAbsent(new BlockKey(key, level, block),
                            k -> new Aggregate());
                    currentBlock[slot] = block;
                }
                current[slot].add(step, seqs[i], batch.values()[i]);
            }
        }
        List<Map.Entry<BlockKey, Aggregate>> existing = new ArrayList<>();
        BinaryCopy fresh = new BinaryCopy(blocks.size() * 110);
        int freshCount = 0;
        for (Map.Entry<BlockKey, Aggregate> e : blocks.entrySet()) {
            BlockKey k = e.getKey();
            SeriesState s = series[k.key()];
            if (s.previousLastStep >= 0 && k.block() <= (s.previousLastStep >> Rollups.SHIFTS[k.level()])) {
                existing.add(e);
                continue;
            }
            Aggregate a = e.getValue();
            fresh.row(9).int8(s.id).int2((short) k.level()).int8(k.block()).int8(a.n);
            if (Double.isNaN(a.min)) {
                fresh.nullValue().nullValue();
            } else {
                fresh.float8(a.min).float8(a.max);
            }
            fresh.int8(a.lastStep).int8(a.lastSeq).float8(a.lastValue);
            freshCount++;
        }
        if (freshCount > 0) {
            fresh.copyInto(c, "metric_rollups (series_id, level, block, n, min_value, max_value, last_step, "
                    + "last_seq, last_value)");
        }
        if (existing.isEmpty()) {
            return;
        }
        int size = existing.size();
        Long[] seriesIds = new Long[size];
        Short[] levels = new Short[size];
        Long[] blockIds = new Long[size];
        Long[] counts = new Long[size];
        Double[] mins = new Double[size];
        Double[] maxs = new Double[size];
        Long[] lastSteps = new Long[size];
        Long[] lastSeqs = new Long[size];
        Double[] lastValues = new Double[size];
        int j = 0;
        for (Map.Entry<BlockKey, Aggregate> e : existing) {
            Aggregate a = e.getValue();
            seriesIds[j] = series[e.getKey().key()].id;
            levels[j] = (short) e.getKey().level();
            blockIds[j] = e.getKey().block();
            counts[j] = a.n;
            mins[j] = Double.isNaN(a.min) ? null : a.min;
            maxs[j] = Double.isNaN(a.max) ? null : a.max;
            lastSteps[j] = a.lastStep;
            lastSeqs[j] = a.lastSeq;
            lastValues[j] = a.lastValue;
            j++;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into metric_rollups as t (series_id, level, block, n, "
                + "min_value, max_value, last_step, last_seq, last_value) "
                + "select * from unnest(?::bigint[], ?::smallint[], ?::bigint[], ?::bigint[], ?::float8[], "
                + "?::float8[], ?::bigint[], ?::bigint[], ?::float8[]) "
                + "on conflict (series_id, level, block) do update set n = t.n + excluded.n, "
                + "min_value = least(t.min_value, excluded.min_value), "
                + "max_value = greatest(t.max_value, excluded.max_value), "
                + LAST_UPDATE)) {
            ps.setArray(1, c.createArrayOf("bigint", seriesIds));
            ps.setArray(2, c.createArrayOf("smallint", levels));
            ps.setArray(3, c.createArrayOf("bigint", blockIds));
            ps.setArray(4, c.createArrayOf("bigint", counts));
            ps.setArray(5, c.createArrayOf("float8", mins));
            ps.setArray(6, c.createArrayOf("float8", maxs));
            ps.setArray(7, c.createArrayOf("bigint", lastSteps));
            ps.setArray(8, c.createArrayOf("bigint", lastSeqs));
            ps.setArray(9, c.createArrayOf("float8", lastValues));
            ps.executeUpdate();
        }
    }

    /** Keeps the value at the greatest (step, seq) of a rollup or epoch row on upsert. */
    static final String LAST_UPDATE = "last_value = case when (excluded.last_step, excluded.last_seq) > "
            + "(t.last_step, t.last_seq) then excluded.last_value else t.last_value end, "
            + "last_seq = case when (excluded.last_step, excluded.last_seq) > (t.last_step, t.last_seq) "
            + "then excluded.last_seq else t.last_seq end, "
            + "last_step = greatest(t.last_step, excluded.last_step)";

    /** A rollup block of one batch key (index into the batch's keys) at one level. */
    private record BlockKey(int key, int level, long block) {}

    /** The locked summary row of one series, updated in memory point by point with Welford's method. */
    private static final class SeriesState {
        long id;
        long n;
        long finiteN;
        long nonFinite;
        double mean;
        double m2;
        double min = Double.NaN;
        double max = Double.NaN;
        double lastValue = Double.NaN;
        long lastStep;
        long lastSeq;
        boolean hasLast;
        long firstStep;
        long nextSeq;
        /** The greatest step stored before this batch, or -1 for a series without points. */
        long previousLastStep = -1;

        void add(long step, long seq, double value) {
            if (n == 0 || step < firstStep) {
                firstStep = step;
            }
            n++;
            if (!hasLast || step > lastStep || (step == lastStep && seq > lastSeq)) {
                hasLast = true;
                lastStep = step;
                lastSeq = seq;
                lastValue = value;
            }
            if (!Double.isFinite(value)) {
                nonFinite++;
                return;
            }
            // Welford's update, one value at a time, keeps the variance accurate for long series.
            finiteN++;
            double delta = value - mean;
            mean += delta / finiteN;
            m2 += delta * (value - mean);
            min = Double.isNaN(min) ? value : Math.min(min, value);
            max = Double.isNaN(max) ? value : Math.max(max, value);
        }
    }
}
