package dev.stepwise.server.metric;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-epoch part of a batch write: aggregates the batch's points by series and epoch (count,
 * finite count, sum, min, max and the last value by step and upload order) and merges them into
 * {@code metric_epochs} with one upsert, in the writing transaction under the series locks
 * {@link MetricWriter} holds.
 */
final class EpochWriter {

    private EpochWriter() {}

    private record EpochKey(long seriesId, int epoch) {}

    /** Per-epoch aggregate of one batch: all points counted, sum/min/max over finite values. */
    private static final class EpochAggregate {
        long n;
        long finiteN;
        double sum;
        double min = Double.NaN;
        double max = Double.NaN;
        final Aggregate last = new Aggregate();

        void add(long step, long seq, double value) {
            n++;
            if (Double.isFinite(value)) {
                finiteN++;
                sum += value;
                min = Double.isNaN(min) ? value : Math.min(min, value);
                max = Double.isNaN(max) ? value : Math.max(max, value);
            }
            last.add(step, seq, value);
        }
    }

    static void upsert(Connection c, PointBatch batch, long[] seriesIds, long[] seqs)
            throws SQLException {
        Map<EpochKey, EpochAggregate> epochs = new HashMap<>();
        int n = batch.size();
        // Epochs change rarely within a key: remember each key's current aggregate, hash on a change.
        EpochAggregate[] current = new EpochAggregate[seriesIds.length];
        int[] currentEpoch = new int[seriesIds.length];
        for (int i = 0; i < n; i++) {
            int epoch = batch.epochs()[i];
            if (epoch == PointBatch.NO_EPOCH) {
                continue;
            }
            int key = batch.keyIndex()[i];
            if (current[key] == null || currentEpoch[key] != epoch) {
                current[key] = epochs.computeIfAbsent(new EpochKey(seriesIds[key], epoch), k -> new EpochAggregate());
                currentEpoch[key] = epoch;
            }
            current[key].add(batch.steps()[i], seqs[i], batch.values()[i]);
        }
        if (epochs.isEmpty()) {
            return;
        }
        Object[][] columns = new Object[10][epochs.size()];
        int r = 0;
        for (Map.Entry<EpochKey, EpochAggregate> e : epochs.entrySet()) {
            EpochKey k = e.getKey();
            EpochAggregate a = e.getValue();
            Object[] row = {k.seriesId(), k.epoch(), a.n, a.finiteN, a.sum, Double.isNaN(a.max) ? null : a.max,
                    Double.isNaN(a.min) ? null : a.min, a.last.lastStep, a.last.lastSeq, a.last.lastValue};
            for (int col = 0; col < row.length; col++) {
                columns[col][r] = row[col];
            }
            r++;
        }
        String[] types = {"bigint", "integer", "bigint", "bigint", "float8", "float8", "float8", "bigint", "bigint",
                "float8"};
        try (PreparedStatement ps = c.prepareStatement("insert into metric_epochs as t (series_id, epoch, n, finite_n, "
                + "sum_value, max_value, min_value, last_step, last_seq, last_value) "
                + "select * from unnest(?::bigint[], ?::integer[], ?::bigint[], ?::bigint[], ?::float8[], ?::float8[], "
                + "?::float8[], ?::bigint[], ?::bigint[], ?::float8[]) "
                + "on conflict (series_id, epoch) do update set n = t.n + excluded.n, "
                + "finite_n = t.finite_n + excluded.finite_n, sum_value = t.sum_value + excluded.sum_value, "
                + "max_value = greatest(t.max_value, excluded.max_value), "
                + "min_value = least(t.min_value, excluded.min_value), " + MetricWriter.LAST_UPDATE)) {
            for (int col = 0; col < 10; col++) {
                Array array = c.createArrayOf(types[col], columns[col]);
                ps.setArray(col + 1, array);
            }
            ps.executeUpdate();
        }
    }
}
