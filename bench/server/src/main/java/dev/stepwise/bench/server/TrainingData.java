package dev.stepwise.bench.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The metric points one simulated training run logs, in logging order, cut into batches. Every
 * step logs {@code train/loss} and {@code train/acc}; every 4th step {@code lr} and
 * {@code grad_norm}; every 1,000th step {@code val/loss} and {@code val/acc}. An epoch is 10,000
 * steps; a step takes 20 ms. The loss decays with noise and rare spikes (about one in 10,000
 * steps, 4 to 20 times the curve). Deterministic for a seed, so the HTTP side and the raw
 * {@code COPY} side store exactly the same rows.
 */
final class TrainingData {

    static final String[] KEYS = {"train/loss", "train/acc", "lr", "grad_norm", "val/loss", "val/acc"};
    static final int STEPS_PER_EPOCH = 10_000;
    static final long START_MILLIS = 1_790_000_000_000L;
    private static final long STEP_MILLIS = 20;

    /** One batch in columns; {@code key[i]} indexes {@link #KEYS}. */
    record Batch(int size, byte[] key, long[] step, int[] epoch, long[] time, double[] value) {}

    private final long steps;
    private final boolean lossOnly;
    private final Random random;
    private long step;
    private final byte[] stepKeys = new byte[KEYS.length];
    private final double[] stepValues = new double[KEYS.length];
    private int stepCount;
    private int position;
    private final long[] nextSeq = new long[KEYS.length];

    /**
     * @param steps    steps 0..steps-1 are logged
     * @param lossOnly log only {@code train/loss} (one point per step)
     * @param seed     random seed; the same seed gives the same points
     */
    TrainingData(long steps, boolean lossOnly, long seed) {
        this.steps = steps;
        this.lossOnly = lossOnly;
        this.random = new Random(seed);
    }

    /** Points logged over {@code steps} steps by a full (not loss-only) run. */
    static long pointsFor(long steps) {
        return 2 * steps + 2 * ((steps + 3) / 4) + 2 * (steps / 1000);
    }

    /** The next batch of at most {@code max} points, or null when the run has logged everything. */
    Batch next(int max) {
        byte[] key = new byte[max];
        long[] stepColumn = new long[max];
        int[] epoch = new int[max];
        long[] time = new long[max];
        double[] value = new double[max];
        int n = 0;
        while (n < max) {
            if (position == stepCount) {
                if (step == steps) {
                    break;
                }
                logStep(step++);
            }
            byte k = stepKeys[position];
            key[n] = k;
            stepColumn[n] = step - 1;
            epoch[n] = (int) ((step - 1) / STEPS_PER_EPOCH);
            time[n] = START_MILLIS + (step - 1) * STEP_MILLIS;
            value[n] = stepValues[position];
            position++;
            n++;
        }
        return n == 0 ? null : new Batch(n, key, stepColumn, epoch, time, value);
    }

    private void logStep(long s) {
        stepCount = 0;
        position = 0;
        double curve = 0.08 + 2.3 * Math.exp(-s / 150_000.0);
        double loss = curve * (1 + 0.05 * random.nextGaussian());
        if (random.nextDouble() < 1e-4) {
            loss *= 4 + 16 * random.nextDouble();
        }
        add(0, loss);
        if (lossOnly) {
            return;
        }
        add(1, Math.min(1, Math.max(0, 1 - curve / 2.5 + 0.01 * random.nextGaussian())));
        if (s % 4 == 0) {
            add(2, 3e-4 * 0.5 * (1 + Math.cos(Math.PI * s / steps)));
            double gradNorm = Math.exp(0.3 * random.nextGaussian());
            add(3, random.nextDouble() < 1e-3 ? gradNorm * 20 : gradNorm);
        }
        if (s % 1000 == 999) {
            add(4, curve * 1.05 * (1 + 0.01 * random.nextGaussian()));
            add(5, Math.min(1, 1 - curve / 2.4 + 0.005 * random.nextGaussian()));
        }
    }

    private void add(int key, double value) {
        stepKeys[stepCount] = (byte) key;
        stepValues[stepCount] = value;
        stepCount++;
    }

    /** The upload body {@code {batchId, points}}, gzip-compressed as the SDK sends it. */
    static byte[] gzippedJson(String batchId, Batch b) {
        StringBuilder sb = new StringBuilder(b.size() * 100);
        sb.append("{\"batchId\":\"").append(batchId).append("\",\"points\":[");
        for (int i = 0; i < b.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"key\":\"").append(KEYS[b.key()[i]]).append("\",\"step\":").append(b.step()[i])
                    .append(",\"value\":").append(b.value()[i]).append(",\"epoch\":").append(b.epoch()[i])
                    .append(",\"time\":").append(b.time()[i]).append('}');
        }
        sb.append("]}");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(b.size() * 24);
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, 1 << 16)) {
            gzip.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The same batch as {@code COPY} text rows {@code series_id, step, seq, epoch, time_ms, value},
     * with sequence numbers assigned per key in logging order, exactly as the server assigns them
     * to a run that one uploader writes in order.
     */
    byte[] copyText(Batch b, long[] seriesIds) {
        StringBuilder sb = new StringBuilder(b.size() * 56);
        for (int i = 0; i < b.size(); i++) {
            int k = b.key()[i];
            sb.append(seriesIds[k]).append('\t').append(b.step()[i]).append('\t').append(nextSeq[k]++).append('\t')
                    .append(b.epoch()[i]).append('\t').append(b.time()[i]).append('\t').append(b.value()[i])
                    .append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
