package dev.stepwise.server.metric;

import dev.stepwise.server.web.ProblemException;
import dev.stepwise.server.web.ProblemException.FieldProblem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Validates an upload all-or-nothing and converts it to a {@link PointBatch}. The problem for an
 * invalid upload lists the index and reason of the first bad points.
 */
final class PointBatchParser {

    static final int MAX_POINTS = 50_000;
    static final int MAX_KEY_LENGTH = 250;
    static final int MAX_BATCH_ID_LENGTH = 64;
    private static final int MAX_REPORTED = 10;
    private static final Set<String> BODY_FIELDS = Set.of("batchId", "points");
    private static final Set<String> POINT_FIELDS = Set.of("key", "step", "value", "epoch", "time");

    private PointBatchParser() {}

    static PointBatch parse(JsonNode body, long receivedAtMillis) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object {batchId?, points: [...]}");
        }
        for (String name : body.propertyNames()) {
            if (!BODY_FIELDS.contains(name)) {
                throw ProblemException.invalid(name, "unknown field");
            }
        }
        String batchId = null;
        JsonNode batchNode = body.get("batchId");
        if (batchNode != null && !batchNode.isNull()) {
            if (!batchNode.isString() || batchNode.asString().isEmpty()
                    || batchNode.asString().length() > MAX_BATCH_ID_LENGTH || !printable(batchNode.asString())) {
                throw ProblemException.invalid("batchId", "must be a string of 1 to 64 printable characters");
            }
            batchId = batchNode.asString();
        }
        JsonNode points = body.get("points");
        if (points == null || !points.isArray()) {
            throw ProblemException.invalid("points", "must be an array of points");
        }
        int n = points.size();
        if (n > MAX_POINTS) {
            throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE,
                    "An upload carries at most " + MAX_POINTS + " points; this one has " + n);
        }
        List<String> keys = new ArrayList<>();
        Map<String, Integer> keyIds = new HashMap<>();
        int[] keyIndex = new int[n];
        long[] steps = new long[n];
        int[] epochs = new int[n];
        long[] times = new long[n];
        double[] values = new double[n];
        List<FieldProblem> problems = new ArrayList<>();
        List<Map<String, Object>> invalid = new ArrayList<>();
        int badCount = 0;
        for (int i = 0; i < n; i++) {
            JsonNode point = points.get(i);
            String reason = parsePoint(point, i, keys, keyIds, keyIndex, steps, epochs, times, values,
                    receivedAtMillis, problems);
            if (reason != null) {
                badCount++;
                if (invalid.size() < MAX_REPORTED) {
                    invalid.add(Map.of("index", i, "reason", reason));
                } else {
                    problems.remove(problems.size() - 1);
                }
            }
        }
        if (badCount > 0) {
            Map<String, Object> first = invalid.get(0);
            throw ProblemException.badRequest("Upload rejected: " + badCount + " invalid point"
                            + (badCount == 1 ? "" : "s") + "; first at index " + first.get("index") + ": "
                            + first.get("reason") + ". Nothing was stored.")
                    .withErrors(problems)
                    .withProperty("invalidPoints", invalid);
        }
        return new PointBatch(batchId, keys, keyIndex, steps, epochs, times, values);
    }

    private static String parsePoint(JsonNode point, int i, List<String> keys, Map<String, Integer> keyIds,
            int[] keyIndex, long[] steps, int[] epochs, long[] times, double[] values, long now,
            List<FieldProblem> problems) {
        String at = "points[" + i + "]";
        if (point == null || !point.isObject()) {
            return problem(problems, at, "must be an object {key, step, value, epoch?, time?}");
        }
        for (String name : point.propertyNames()) {
            if (!POINT_FIELDS.contains(name)) {
                return problem(problems, at + "." + name, "unknown field '" + name + "'");
            }
        }
        JsonNode key = point.get("key");
        if (key == null || !key.isString() || key.asString().isEmpty() || key.asString().length() > MAX_KEY_LENGTH
                || !printable(key.asString())) {
            return problem(problems, at + ".key", "key must be 1 to 250 printable characters");
        }
        JsonNode step = point.get("step");
        if (step == null || !step.isIntegralNumber() || !step.canConvertToLong() || step.asLong() < 0) {
            return problem(problems, at + ".step", "step must be an integer >= 0");
        }
        JsonNode value = point.get("value");
        double v;
        if (value == null || value.isNull()) {
            return problem(problems, at + ".value", "value is required");
        } else if (value.isNumber()) {
            v = value.asDouble();
            if (Double.isInfinite(v)) {
                return problem(problems, at + ".value", "value is out of double range; send \"Infinity\" explicitly");
            }
        } else if (value.isString()) {
            switch (value.asString()) {
                case "NaN" -> v = Double.NaN;
                case "Infinity" -> v = Double.POSITIVE_INFINITY;
                case "-Infinity" -> v = Double.NEGATIVE_INFINITY;
                default -> {
                    return problem(problems, at + ".value",
                            "value must be a number or one of \"NaN\", \"Infinity\", \"-Infinity\"");
                }
            }
        } else {
            return problem(problems, at + ".value", "value must be a number or one of \"NaN\", \"Infinity\", \"-Infinity\"");
        }
        JsonNode epoch = point.get("epoch");
        int e = PointBatch.NO_EPOCH;
        if (epoch != null && !epoch.isNull()) {
            if (!epoch.isIntegralNumber() || !epoch.canConvertToInt() || epoch.asInt() < 0) {
                return problem(problems, at + ".epoch", "epoch must be an integer >= 0");
            }
            e = epoch.asInt();
        }
        JsonNode time = point.get("time");
        long t = now;
        if (time != null && !time.isNull()) {
            if (time.isIntegralNumber() && time.canConvertToLong() && time.asLong() >= 0) {
                t = time.asLong();
            } else if (time.isString()) {
                try {
                    t = Instant.parse(time.asString()).toEpochMilli();
                } catch (DateTimeParseException | ArithmeticException ex) {
                    return problem(problems, at + ".time", "time must be ISO-8601 or epoch milliseconds");
                }
            } else {
                return problem(problems, at + ".time", "time must be ISO-8601 or epoch milliseconds");
            }
        }
        String k = key.asString();
        Integer id = keyIds.get(k);
        if (id == null) {
            id = keys.size();
            keys.add(k);
            keyIds.put(k, id);
        }
        keyIndex[i] = id;
        steps[i] = step.asLong();
        epochs[i] = e;
        times[i] = t;
        values[i] = v;
        return null;
    }

    private static String problem(List<FieldProblem> problems, String field, String message) {
        problems.add(new FieldProblem(field, message));
        return message;
    }

    static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
