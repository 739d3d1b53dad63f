package dev.stepwise.server.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builders for run and metric request bodies. */
public final class TrackingFixtures {

    private TrackingFixtures() {}

    /** A point as sent over HTTP; non-finite values travel as strings. */
    public static Map<String, Object> point(String key, long step, double value, Integer epoch) {
        Map<String, Object> p = new HashMap<>();
        p.put("key", key);
        p.put("step", step);
        p.put("value", encode(value));
        if (epoch != null) {
            p.put("epoch", epoch);
        }
        return p;
    }

    public static Object encode(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return value;
    }

    public static Map<String, Object> batch(String batchId, List<Map<String, Object>> points) {
        Map<String, Object> body = new HashMap<>();
        if (batchId != null) {
            body.put("batchId", batchId);
        }
        body.put("points", points);
        return body;
    }

    /** Decodes a JSON number or non-finite sentinel. */
    public static double decode(tools.jackson.databind.JsonNode node) {
        if (node.isString()) {
            return switch (node.asString()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new IllegalArgumentException(node.asString());
            };
        }
        return node.asDouble();
    }

    public static List<Double> decodeAll(tools.jackson.databind.JsonNode array) {
        List<Double> values = new ArrayList<>();
        array.forEach(n -> values.add(decode(n)));
        return values;
    }
}
