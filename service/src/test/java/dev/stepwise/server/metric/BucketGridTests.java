package dev.stepwise.server.metric;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** Downsampling bucket maths without a database. */
class BucketGridTests {

    @Test
    void narrowBucketsReadRawPointsAndWideOnesTheCoarsestFittingLevel() {
        assertThat(BucketGrid.levelFor(1)).isEqualTo(-1);
        assertThat(BucketGrid.levelFor(63)).isEqualTo(-1);
        assertThat(BucketGrid.levelFor(64)).isEqualTo(0);
        assertThat(BucketGrid.levelFor(255)).isEqualTo(0);
        assertThat(BucketGrid.levelFor(256)).isEqualTo(1);
        assertThat(BucketGrid.levelFor(1L << 40)).isEqualTo(Rollups.SHIFTS.length - 1);
    }

    @Test
    void aMillionStepsInTwoThousandBuckets() {
        long width = BucketGrid.width(0, 999_999, 2000);
        assertThat(width).isEqualTo(500);
        BucketGrid grid = BucketGrid.of(0, 999_999, BucketGrid.levelFor(width), 2000);
        assertThat(grid.blockSize()).isEqualTo(256);
        assertThat(grid.bucketCount()).isLessThanOrEqualTo(2000);
        assertThat(grid.fullFrom()).isEqualTo(0);
        assertThat(grid.fullTo()).isEqualTo(999_999 / 256 - 1);
    }

    @Property(tries = 500)
    void everyBlockOfTheRangeLandsInABucketAndNoMoreBucketsThanAsked(
            @ForAll @LongRange(min = 0, max = 1L << 34) long lo, @ForAll @LongRange(min = 64, max = 1L << 30) long span,
            @ForAll @IntRange(min = 1, max = 5000) int maxPoints) {
        long hi = lo + span;
        int level = BucketGrid.levelFor(BucketGrid.width(lo, hi, maxPoints));
        if (level < 0) {
            return;
        }
        BucketGrid grid = BucketGrid.of(lo, hi, level, maxPoints);
        int shift = Rollups.SHIFTS[level];
        assertThat(grid.bucketCount()).isBetween(1, maxPoints);
        assertThat(grid.bucketOf(lo >> shift)).isZero();
        assertThat(grid.bucketOf(hi >> shift)).isEqualTo(grid.bucketCount() - 1);
        // Full blocks lie inside [lo, hi]; the partial edges are what is left.
        if (grid.fullFrom() <= grid.fullTo()) {
            assertThat(grid.fullFrom() * grid.blockSize()).isGreaterThanOrEqualTo(lo);
            assertThat((grid.fullTo() + 1) * grid.blockSize() - 1).isLessThanOrEqualTo(hi);
            assertThat(grid.fullFrom() * grid.blockSize() - lo).isLessThan(grid.blockSize());
            assertThat(hi - ((grid.fullTo() + 1) * grid.blockSize() - 1)).isLessThanOrEqualTo(grid.blockSize());
        }
    }

    @Test
    void aggregatesKeepTheEnvelopeAndTheLastValueByStepThenUploadOrder() {
        Aggregate a = new Aggregate();
        a.add(5, 1, 2.0);
        a.add(3, 2, Double.NaN);
        a.add(5, 3, 7.0);
        Aggregate b = new Aggregate();
        b.add(4, 9, -1.0);
        a.merge(b);
        assertThat(a.n).isEqualTo(4);
        assertThat(a.min).isEqualTo(-1.0);
        assertThat(a.max).isEqualTo(7.0);
        assertThat(a.lastStep).isEqualTo(5);
        assertThat(a.lastValue).isEqualTo(7.0);
        a.merge(new Aggregate());
        assertThat(a.n).isEqualTo(4);
    }
}
