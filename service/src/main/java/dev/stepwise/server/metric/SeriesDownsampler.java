package dev.stepwise.server.metric;

import dev.stepwise.server.metric.MetricReads.SeriesRef;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Spike-preserving downsampling (M4-style): the x range is cut into at most {@code maxPoints}
 * buckets; each reports its last point and the min/max of every raw point in it. Over steps it
 * reads the rollups maintained at ingest (fewer than 16 blocks per bucket) plus exact aggregates of
 * the partial blocks at the range's edges; over epochs it reads the per-epoch aggregates; over
 * time it aggregates inside PostgreSQL. Server memory is bounded by {@code maxPoints}, whatever
 * the series length.
 */
@Component
class SeriesDownsampler {

    /** Columnar series: x, last y, and the min/max envelope per point or bucket. */
    record Series(long total, boolean downsampled, List<Long> x, List<Double> y, List<Double> yMin,
            List<Double> yMax) {

        static Series empty() {
            return new Series(0, false, List.of(), List.of(), List.of(), List.of());
        }
    }

    enum Axis { STEP, EPOCH, TIME }

    private final JdbcTemplate jdbc;

    SeriesDownsampler(JdbcTemplate jdbc) {
        // Rows are streamed in chunks (inside a transaction) rather than loaded whole.
        this.jdbc = new JdbcTemplate(jdbc.getDataSource());
        this.jdbc.setFetchSize(10_000);
    }

    @Transactional(readOnly = true)
    Series series(SeriesRef ref, Axis axis, int maxPoints, Long from, Long to) {
        if (ref.n() == 0) {
            return Series.empty();
        }
        return switch (axis) {
            case STEP -> bySteps(ref, maxPoints, from == null ? ref.firstStep() : from, to == null ? ref.lastStep() : to);
            case EPOCH -> byEpochs(ref, maxPoints, from, to);
            case TIME -> byTime(ref, maxPoints, from, to);
        };
    }

    // ---- steps -------------------------------------------------------------------------------

    private Series bySteps(SeriesRef ref, int maxPoints, long lo, long hi) {
        if (lo > hi) {
            return Series.empty();
        }
        if (ref.n() <= maxPoints) {
            return raw(ref.id(), lo, hi, "step");
        }
        int level = BucketGrid.levelFor(BucketGrid.width(lo, hi, maxPoints));
        Buckets buckets;
        if (level < 0) {
            buckets = rawBuckets(ref.id(), lo, hi, BucketGrid.width(lo, hi, maxPoints), maxPoints);
        } else {
            buckets = rollupBuckets(ref.id(), lo, hi, level, maxPoints);
        }
        if (buckets.total() <= maxPoints) {
            return raw(ref.id(), lo, hi, "step");
        }
        return buckets.toSeries();
    }

    /** Buckets of {@code m} consecutive blocks at {@code level}, aligned to the block grid. */
    private Buckets rollupBuckets(long seriesId, long lo, long hi, int level, int maxPoints) {
        BucketGrid grid = BucketGrid.of(lo, hi, level, maxPoints);
        long blockSize = grid.blockSize();
        long fullFrom = grid.fullFrom();
        long fullTo = grid.fullTo();
        int bucketCount = grid.bucketCount();
        Buckets buckets = new Buckets(bucketCount);
        if (fullFrom <= fullTo) {
            jdbc.query("select block, n, min_value, max_value, last_step, last_seq, last_value from metric_rollups "
                    + "where series_id = ? and level = ? and block between ? and ?", rs -> {
                        long block = rs.getLong(1);
                        buckets.at(grid.bucketOf(block)).merge(rs.getLong(2),
                                Columns.nanIfNull(rs, 3), Columns.nanIfNull(rs, 4), rs.getLong(5), rs.getLong(6),
                                rs.getDouble(7));
                    }, seriesId, level, fullFrom, fullTo);
            buckets.at(0).merge(aggregate(seriesId, lo, fullFrom * blockSize - 1, level - 1));
            buckets.at(bucketCount - 1).merge(aggregate(seriesId, (fullTo + 1) * blockSize, hi, level - 1));
        } else {
            buckets.at(0).merge(aggregate(seriesId, lo, hi, level - 1));
        }
        return buckets;
    }

    /** The exact aggregate of steps [a, b], from the coarsest blocks that fit and raw points at the edges. */
    private Aggregate aggregate(long seriesId, long a, long b, int level) {
        Aggregate result = new Aggregate();
        if (a > b) {
            return result;
        }
        if (level < 0) {
            jdbc.query("select step, seq, value from metric_points where series_id = ? and step between ? and ?",
                    rs -> {
                        result.add(rs.getLong(1), rs.getLong(2), rs.getDouble(3));
                    }, seriesId, a, b);
            return result;
        }
        int shift = Rollups.SHIFTS[level];
        long blockSize = 1L << shift;
        long fullFrom = BucketGrid.ceilDiv(a, blockSize);
        long fullTo = ((b + 1) >> shift) - 1;
        if (fullFrom > fullTo) {
            return aggregate(seriesId, a, b, level - 1);
        }
        jdbc.query("select n, min_value, max_value, last_step, last_seq, last_value from metric_rollups "
                + "where series_id = ? and level = ? and block between ? and ?", rs -> {
                    result.merge(rs.getLong(1), Columns.nanIfNull(rs, 2), Columns.nanIfNull(rs, 3), rs.getLong(4),
                            rs.getLong(5), rs.getDouble(6));
                }, seriesId, level, fullFrom, fullTo);
        result.merge(aggregate(seriesId, a, fullFrom * blockSize - 1, level - 1));
        result.merge(aggregate(seriesId, (fullTo + 1) * blockSize, b, level - 1));
        return result;
    }

    /** Buckets of {@code width} steps computed from raw points (the range spans few steps per bucket). */
    private Buckets rawBuckets(long seriesId, long lo, long hi, long width, int maxPoints) {
        int bucketCount = (int) ((hi - lo) / width + 1);
        Buckets buckets = new Buckets(bucketCount);
        jdbc.query("select step, seq, value from metric_points where series_id = ? and step between ? and ?", rs -> {
            long step = rs.getLong(1);
            buckets.at((int) ((step - lo) / width)).add(step, rs.getLong(2), rs.getDouble(3));
        }, seriesId, lo, hi);
        return buckets;
    }

    private Series raw(long seriesId, long lo, long hi, String xColumn) {
        List<Long> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        jdbc.query("select " + xColumn + ", value from metric_points where series_id = ? and step between ? and ? "
                + "order by step, seq", rs -> {
                    x.add(rs.getLong(1));
                    y.add(rs.getDouble(2));
                }, seriesId, lo, hi);
        return new Series(x.size(), false, x, y, y, y);
    }

    // ---- epochs ------------------------------------------------------------------------------

    private Series byEpochs(SeriesRef ref, int maxPoints, Long from, Long to) {
        long lo = from == null ? 0 : from;
        long hi = to == null ? Integer.MAX_VALUE : to;
        // One aggregate first, then the epoch rows streamed into their buckets: memory is bounded by
        // maxPoints even for a series that logs millions of epochs.
        long[] extent = jdbc.queryForObject("select coalesce(sum(n), 0), coalesce(min(epoch), 0), "
                        + "coalesce(max(epoch), 0) from metric_epochs where series_id = ? and epoch between ? and ?",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, ref.id(), lo, hi);
        long total = extent[0];
        if (total == 0) {
            return Series.empty();
        }
        if (total <= maxPoints) {
            List<Long> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            jdbc.query("select epoch, value from metric_points where series_id = ? and epoch between ? and ? "
                    + "order by epoch, step, seq", rs -> {
                        x.add(rs.getLong(1));
                        y.add(rs.getDouble(2));
                    }, ref.id(), lo, hi);
            return new Series(x.size(), false, x, y, y, y);
        }
        long firstEpoch = extent[1];
        long width = BucketGrid.ceilDiv(extent[2] - firstEpoch + 1, maxPoints);
        List<Long> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> yMin = new ArrayList<>();
        List<Double> yMax = new ArrayList<>();
        var state = new Object() {
            long currentBucket = -1;
            Aggregate bucket;
            long bucketX;
        };
        jdbc.query("select epoch, n, min_value, max_value, last_seq, last_value from metric_epochs "
                + "where series_id = ? and epoch between ? and ? order by epoch", rs -> {
                    long epoch = rs.getLong(1);
                    long b = (epoch - firstEpoch) / width;
                    if (b != state.currentBucket) {
                        if (state.bucket != null) {
                            emit(state.bucket, state.bucketX, x, y, yMin, yMax);
                        }
                        state.bucket = new Aggregate();
                        state.currentBucket = b;
                    }
                    // Within a bucket the last epoch decides the value: order by epoch, not by step.
                    state.bucket.merge(rs.getLong(2), Columns.nanIfNull(rs, 3), Columns.nanIfNull(rs, 4), epoch,
                            rs.getLong(5), rs.getDouble(6));
                    state.bucketX = epoch;
                }, ref.id(), lo, hi);
        emit(state.bucket, state.bucketX, x, y, yMin, yMax);
        return new Series(total, true, x, y, yMin, yMax);
    }

    // ---- time --------------------------------------------------------------------------------

    private Series byTime(SeriesRef ref, int maxPoints, Long from, Long to) {
        long lo = from == null ? Long.MIN_VALUE : from;
        long hi = to == null ? Long.MAX_VALUE : to;
        long[] extent = jdbc.queryForObject("select count(*), min(time_ms), max(time_ms) from metric_points "
                        + "where series_id = ? and time_ms between ? and ?",
                (rs, i) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, ref.id(), lo, hi);
        long total = extent[0];
        if (total == 0) {
            return Series.empty();
        }
        if (total <= maxPoints) {
            List<Long> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            jdbc.query("select time_ms, value from metric_points where series_id = ? and time_ms between ? and ? "
                    + "order by time_ms, step, seq", rs -> {
                        x.add(rs.getLong(1));
                        y.add(rs.getDouble(2));
                    }, ref.id(), lo, hi);
            return new Series(total, false, x, y, y, y);
        }
        long width = BucketGrid.ceilDiv(extent[2] - extent[1] + 1, maxPoints);
        List<Long> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> yMin = new ArrayList<>();
        List<Double> yMax = new ArrayList<>();
        // The last point of a bucket is the greatest (time, step, seq); float8 arrays compare element-wise.
        jdbc.query("select max(time_ms), min(value) filter (where value <> 'NaN'::float8), "
                + "max(value) filter (where value <> 'NaN'::float8), "
                + "(max(array[time_ms::float8, step::float8, seq::float8, value]))[4] "
                + "from metric_points where series_id = ? and time_ms between ? and ? "
                + "group by (time_ms - ?) / ? order by 1", rs -> {
                    x.add(rs.getLong(1));
                    yMin.add(Columns.nanIfNull(rs, 2));
                    yMax.add(Columns.nanIfNull(rs, 3));
                    y.add(rs.getDouble(4));
                }, ref.id(), lo, hi, extent[1], width);
        return new Series(total, true, x, y, yMin, yMax);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static void emit(Aggregate a, long xValue, List<Long> x, List<Double> y, List<Double> yMin,
            List<Double> yMax) {
        x.add(xValue);
        y.add(a.lastValue);
        yMin.add(a.min);
        yMax.add(a.max);
    }

    /** Step buckets, emitted in order; empty ones are skipped. */
    private static final class Buckets {
        private final Aggregate[] buckets;

        Buckets(int count) {
            buckets = new Aggregate[count];
        }

        Aggregate at(int index) {
            Aggregate a = buckets[index];
            if (a == null) {
                a = buckets[index] = new Aggregate();
            }
            return a;
        }

        long total() {
            long total = 0;
            for (Aggregate a : buckets) {
                total += a == null ? 0 : a.n;
            }
            return total;
        }

        Series toSeries() {
            List<Long> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> yMin = new ArrayList<>();
            List<Double> yMax = new ArrayList<>();
            for (Aggregate a : buckets) {
                if (a != null && !a.isEmpty()) {
                    emit(a, a.lastStep, x, y, yMin, yMax);
                }
            }
            return new Series(total(), true, x, y, yMin, yMax);
        }
    }

}
