package dev.stepwise.server.metric;

import java.util.List;

/**
 * A validated upload in columnar form. {@code keyIndex[i]} points into {@code keys}; epochs use
 * {@link #NO_EPOCH} for points without one.
 */
record PointBatch(String batchId, List<String> keys, int[] keyIndex, long[] steps, int[] epochs, long[] times,
        double[] values) {

    static final int NO_EPOCH = -1;

    int size() {
        return steps.length;
    }
}
