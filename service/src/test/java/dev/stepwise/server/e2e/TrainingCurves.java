package dev.stepwise.server.e2e;

import dev.stepwise.server.support.TrackingFixtures;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small, deterministic training log: {@code train/loss}, {@code train/acc} and {@code lr} at
 * every step, {@code val/loss} and {@code val/acc} at the last step of each epoch, plus the
 * per-epoch values the run page must show (mean, except {@code lr}: last), computed here
 * independently of the server.
 */
record TrainingCurves(int epochs, int stepsPerEpoch, double scale) {

    static final List<String> KEYS = List.of("lr", "train/acc", "train/loss", "val/acc", "val/loss");

    double trainLoss(long step) {
        return scale * (2.0 * Math.exp(-step / 40.0) + 0.05 * ((step * 7) % 5) / 5.0);
    }

    double trainAcc(long step) {
        return 1.0 - 0.9 * Math.exp(-step / (30.0 * scale));
    }

    double lr(int epoch) {
        return 0.1 * Math.pow(0.5, epoch);
    }

    double valLoss(int epoch) {
        return scale * 2.1 * Math.exp(-(epoch + 1) * stepsPerEpoch / 40.0);
    }

    double valAcc(int epoch) {
        return 1.0 - 0.85 * Math.exp(-(epoch + 1) * stepsPerEpoch / (30.0 * scale));
    }

    /** Points of epochs {@code [fromEpoch, toEpoch)} as sent over HTTP. */
    List<Map<String, Object>> points(int fromEpoch, int toEpoch) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int epoch = fromEpoch; epoch < toEpoch; epoch++) {
            for (int i = 0; i < stepsPerEpoch; i++) {
                long step = (long) epoch * stepsPerEpoch + i;
                points.add(TrackingFixtures.point("train/loss", step, trainLoss(step), epoch));
                points.add(TrackingFixtures.point("train/acc", step, trainAcc(step), epoch));
                points.add(TrackingFixtures.point("lr", step, lr(epoch), epoch));
            }
            long last = (long) (epoch + 1) * stepsPerEpoch - 1;
            points.add(TrackingFixtures.point("val/loss", last, valLoss(epoch), epoch));
            points.add(TrackingFixtures.point("val/acc", last, valAcc(epoch), epoch));
        }
        return points;
    }

    List<Map<String, Object>> points() {
        return points(0, epochs);
    }

    /** Expected per-epoch value of every key, for epochs {@code [0, upTo)}. */
    Map<Integer, Map<String, Double>> perEpoch(int upTo) {
        Map<Integer, Map<String, Double>> result = new TreeMap<>();
        for (int epoch = 0; epoch < upTo; epoch++) {
            double loss = 0;
            double acc = 0;
            for (int i = 0; i < stepsPerEpoch; i++) {
                long step = (long) epoch * stepsPerEpoch + i;
                loss += trainLoss(step);
                acc += trainAcc(step);
            }
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("train/loss", loss / stepsPerEpoch);
            values.put("train/acc", acc / stepsPerEpoch);
            values.put("lr", lr(epoch));
            values.put("val/loss", valLoss(epoch));
            values.put("val/acc", valAcc(epoch));
            result.put(epoch, values);
        }
        return result;
    }

    Map<Integer, Map<String, Double>> perEpoch() {
        return perEpoch(epochs);
    }

    /** The value of {@code key} at its greatest step among epochs {@code [0, upTo)}. */
    double last(String key, int upTo) {
        int epoch = upTo - 1;
        long lastStep = (long) upTo * stepsPerEpoch - 1;
        return switch (key) {
            case "train/loss" -> trainLoss(lastStep);
            case "train/acc" -> trainAcc(lastStep);
            case "lr" -> lr(epoch);
            case "val/loss" -> valLoss(epoch);
            case "val/acc" -> valAcc(epoch);
            default -> throw new IllegalArgumentException(key);
        };
    }

    /**
     * The run page's table formatting ({@code formatNumber} in the frontend): integers as is,
     * otherwise 4 significant digits, exponent notation below 1e-3 and from 1e6.
     */
    static String format(double n) {
        if (Double.isNaN(n)) {
            return "NaN";
        }
        if (Double.isInfinite(n)) {
            return n > 0 ? "∞" : "−∞";
        }
        if (n == Math.rint(n) && Math.abs(n) < 1e9) {
            return Long.toString((long) n);
        }
        BigDecimal rounded = new BigDecimal(n).round(new MathContext(4, RoundingMode.HALF_UP));
        double abs = Math.abs(n);
        if (abs < 1e-3 || abs >= 1e6) {
            // JavaScript's toExponential(3): always three fraction digits, exponent without padding.
            BigDecimal unscaled = rounded.movePointLeft(rounded.precision() - rounded.scale() - 1);
            int exponent = rounded.precision() - rounded.scale() - 1;
            return unscaled.setScale(3, RoundingMode.UNNECESSARY).toPlainString() + "e" + (exponent < 0 ? "-" : "+")
                    + Math.abs(exponent);
        }
        return rounded.stripTrailingZeros().toPlainString();
    }
}
