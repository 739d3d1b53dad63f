package dev.stepwise.server.metric;

/**
 * Resolutions of the per-block rollups: level {@code i} groups steps into blocks of
 * {@code 1 << SHIFTS[i]} steps. A factor of 16 between levels keeps an envelope read at fewer
 * than 16 blocks per bucket.
 */
final class Rollups {

    static final int[] SHIFTS = {4, 8, 12, 16, 20};

    private Rollups() {}
}
