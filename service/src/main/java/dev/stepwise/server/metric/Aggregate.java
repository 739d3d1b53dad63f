package dev.stepwise.server.metric;

/**
 * A mergeable aggregate of points: count, min and max over every non-NaN value (so an infinite
 * spike still shows), and the last point by (step, seq).
 */
final class Aggregate {

    long n;
    double min = Double.NaN;
    double max = Double.NaN;
    long lastStep = Long.MIN_VALUE;
    long lastSeq = Long.MIN_VALUE;
    double lastValue = Double.NaN;

    void add(long step, long seq, double value) {
        n++;
        if (!Double.isNaN(value)) {
            min = Double.isNaN(min) ? value : Math.min(min, value);
            max = Double.isNaN(max) ? value : Math.max(max, value);
        }
        if (step > lastStep || (step == lastStep && seq > lastSeq)) {
            lastStep = step;
            lastSeq = seq;
            lastValue = value;
        }
    }

    /** Merges another aggregate; {@code min}/{@code max} may be NaN there when it had only NaN values. */
    void merge(long otherN, double otherMin, double otherMax, long step, long seq, double value) {
        if (otherN == 0) {
            return;
        }
        n += otherN;
        if (!Double.isNaN(otherMin)) {
            min = Double.isNaN(min) ? otherMin : Math.min(min, otherMin);
        }
        if (!Double.isNaN(otherMax)) {
            max = Double.isNaN(max) ? otherMax : Math.max(max, otherMax);
        }
        if (step > lastStep || (step == lastStep && seq > lastSeq)) {
            lastStep = step;
            lastSeq = seq;
            lastValue = value;
        }
    }

    void merge(Aggregate other) {
        merge(other.n, other.min, other.max, other.lastStep, other.lastSeq, other.lastValue);
    }

    boolean isEmpty() {
        return n == 0;
    }
}
