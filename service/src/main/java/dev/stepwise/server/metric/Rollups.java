package dev.stepwise.server.metric;

/**
 * Resolutions of the per-block rollups: level {@code i} groups steps into blocks of
 * {@code 1 << SHIFTS[i]} steps (64 up to about 4 million). At most a factor of 16 between levels
 * keeps an envelope read at fewer than 16 blocks per bucket (fewer than 4 for the common
 * 64..4096-step buckets); ranges finer than 64 steps per bucket read raw points. The finest level
 * costs one rollup row per 64 points of a key, so keeping the rollups adds little to ingest.
 */
final class Rollups {

    static final int[] SHIFTS = {6, 8, 10, 14, 18, 22};

    private Rollups() {}
}
