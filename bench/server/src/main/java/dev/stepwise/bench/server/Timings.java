package dev.stepwise.bench.server;

import java.util.Arrays;

/** Latency samples in milliseconds: median and nearest-rank 95th percentile. */
record Timings(double[] millis) {

    static Timings of(double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Timings(sorted);
    }

    double median() {
        int n = millis.length;
        return n % 2 == 1 ? millis[n / 2] : (millis[n / 2 - 1] + millis[n / 2]) / 2;
    }

    double p95() {
        return millis[(int) Math.ceil(0.95 * millis.length) - 1];
    }

    double min() {
        return millis[0];
    }

    double max() {
        return millis[millis.length - 1];
    }

    int count() {
        return millis.length;
    }
}
