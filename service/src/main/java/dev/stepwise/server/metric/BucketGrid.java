package dev.stepwise.server.metric;

/**
 * The bucket maths of a downsampled step range {@code [lo, hi]}: which rollup level serves it, and
 * how that level's blocks fall into at most {@code maxPoints} buckets. Buckets are whole runs of
 * {@code perBucket} consecutive blocks aligned to the block grid, so every bucket's envelope is the
 * exact min/max of its steps; the partial blocks at the two edges ({@code lo} before
 * {@code fullFrom}, {@code hi} after {@code fullTo}) are aggregated from finer data.
 *
 * @param level the rollup level ({@link Rollups#SHIFTS} index)
 * @param firstBlock the block holding {@code lo}
 * @param perBucket blocks per bucket
 * @param bucketCount number of buckets
 * @param fullFrom the first block lying entirely inside the range
 * @param fullTo the last block lying entirely inside the range ({@code < fullFrom} when there is none)
 */
record BucketGrid(int level, long firstBlock, long perBucket, int bucketCount, long fullFrom, long fullTo) {

    /** Steps per bucket when {@code [lo, hi]} is cut into at most {@code maxPoints} equal buckets. */
    static long width(long lo, long hi, int maxPoints) {
        return ceilDiv(hi - lo + 1, maxPoints);
    }

    /** The coarsest rollup level whose blocks fit in a bucket of {@code width} steps; -1: read raw points. */
    static int levelFor(long width) {
        for (int i = Rollups.SHIFTS.length - 1; i >= 0; i--) {
            if ((1L << Rollups.SHIFTS[i]) <= width) {
                return i;
            }
        }
        return -1;
    }

    static BucketGrid of(long lo, long hi, int level, int maxPoints) {
        int shift = Rollups.SHIFTS[level];
        long blockSize = 1L << shift;
        long firstBlock = lo >> shift;
        long lastBlock = hi >> shift;
        long perBucket = ceilDiv(lastBlock - firstBlock + 1, maxPoints);
        int bucketCount = (int) ((lastBlock - firstBlock) / perBucket + 1);
        return new BucketGrid(level, firstBlock, perBucket, bucketCount, ceilDiv(lo, blockSize),
                ((hi + 1) >> shift) - 1);
    }

    /** Steps per block at this grid's level. */
    long blockSize() {
        return 1L << Rollups.SHIFTS[level];
    }

    /** The bucket a block of this level falls into. */
    int bucketOf(long block) {
        return (int) ((block - firstBlock) / perBucket);
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
