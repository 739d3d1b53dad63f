package dev.stepwise.server.metric;

import dev.stepwise.server.web.PayloadTooLargeException;
import dev.stepwise.server.web.ProblemException;
import dev.stepwise.server.web.ProblemException.FieldProblem;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipException;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads an upload straight from the JSON token stream into columns (no object tree per point) and
 * validates it all-or-nothing: the problem for an invalid upload lists the index and reason of
 * the first bad points.
 */
final class PointBatchParser {

    static final int MAX_POINTS = 50_000;
    static final int MAX_KEY_LENGTH = 250;
    static final int MAX_BATCH_ID_LENGTH = 64;
    private static final int MAX_REPORTED = 10;
    private static final String VALUE_RULE = "value must be a number or one of \"NaN\", \"Infinity\", \"-Infinity\"";
    private static final String TIME_RULE = "time must be ISO-8601 or epoch milliseconds";

    private final JsonParser parser;
    private final long now;
    private String batchId;
    private final KeyTable keys = new KeyTable();
    private int size;
    private int[] keyIndex = new int[1024];
    private long[] steps = new long[1024];
    private int[] epochs = new int[1024];
    private long[] times = new long[1024];
    private double[] values = new double[1024];
    private final List<FieldProblem> problems = new ArrayList<>();
    private final List<Map<String, Object>> invalid = new ArrayList<>();
    private int badCount;

    private PointBatchParser(JsonParser parser, long now) {
        this.parser = parser;
        this.now = now;
    }

    /** Parses and validates an upload; malformed JSON, bad points and oversize uploads are problems. */
    static PointBatch parse(JsonParser parser, long receivedAtMillis) {
        try (parser) {
            return new PointBatchParser(parser, receivedAtMillis).body();
        } catch (JacksonException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof PayloadTooLargeException tooLarge) {
                    throw ProblemException.tooLarge("Request body is too large: " + tooLarge.getMessage());
                }
                if (cause instanceof ZipException) {
                    throw ProblemException.badRequest("Request body is not valid gzip");
                }
            }
            throw ProblemException.badRequest("Malformed JSON request body");
        }
    }

    private PointBatch body() {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw ProblemException.invalid("body", "must be a JSON object {batchId?, points: [...]}");
        }
        boolean sawPoints = false;
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken token = parser.nextToken();
            switch (name) {
                case "batchId" -> batchId(token);
                case "points" -> {
                    if (token != JsonToken.START_ARRAY) {
                        throw ProblemException.invalid("points", "must be an array of points");
                    }
                    sawPoints = true;
                    points();
                }
                default -> throw ProblemException.invalid(name, "unknown field");
            }
        }
        if (!sawPoints) {
            throw ProblemException.invalid("points", "must be an array of points");
        }
        if (parser.nextToken() != null) {
            throw ProblemException.badRequest("Malformed JSON request body: content after the object");
        }
        if (badCount > 0) {
            Map<String, Object> first = invalid.get(0);
            throw ProblemException.badRequest("Upload rejected: " + badCount + " invalid point"
                            + (badCount == 1 ? "" : "s") + "; first at index " + first.get("index") + ": "
                            + first.get("reason") + ". Nothing was stored.")
                    .withErrors(problems)
                    .withProperty("invalidPoints", invalid);
        }
        return new PointBatch(batchId, keys.keys(), Arrays.copyOf(keyIndex, size), Arrays.copyOf(steps, size),
                Arrays.copyOf(epochs, size), Arrays.copyOf(times, size), Arrays.copyOf(values, size));
    }

    private void batchId(JsonToken token) {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        String id = token == JsonToken.VALUE_STRING ? parser.getString() : null;
        if (id == null || id.isEmpty() || id.length() > MAX_BATCH_ID_LENGTH || !printable(id)) {
            throw ProblemException.invalid("batchId", "must be a string of 1 to 64 printable characters");
        }
        batchId = id;
    }

    private void points() {
        int index = 0;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (index >= MAX_POINTS) {
                throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE,
                        "An upload carries at most " + MAX_POINTS + " points");
            }
            String reason = token == JsonToken.START_OBJECT ? point(index)
                    : skipAndFail(index, "points[" + index + "]", "must be an object {key, step, value, epoch?, time?}");
            if (reason != null) {
                badCount++;
                if (invalid.size() < MAX_REPORTED) {
                    invalid.add(Map.of("index", index, "reason", reason));
                } else {
                    problems.remove(problems.size() - 1);
                }
            }
            index++;
        }
    }

    private String skipAndFail(int index, String field, String message) {
        parser.skipChildren();
        problems.add(new FieldProblem(field, message));
        return message;
    }

    /** Reads one point object; returns the reason it is invalid, or null when it was stored. */
    private String point(int index) {
        String unknown = null;
        int key = -1;
        boolean keyBad = false;
        long step = -1;
        boolean stepSeen = false;
        boolean stepBad = false;
        double value = 0;
        int valueState = 0; // 0 missing, 1 ok, 2 bad, 3 out of range
        int epoch = PointBatch.NO_EPOCH;
        boolean epochBad = false;
        long time = now;
        boolean timeBad = false;
        for (String name = parser.nextName(); name != null; name = parser.nextName()) {
            JsonToken token = parser.nextToken();
            switch (name) {
                case "key" -> {
                    if (token == JsonToken.VALUE_STRING) {
                        key = keyId();
                        keyBad = key < 0;
                    } else {
                        keyBad = true;
                        parser.skipChildren();
                    }
                }
                case "step" -> {
                    stepSeen = true;
                    if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                            && parser.getLongValue() >= 0) {
                        step = parser.getLongValue();
                    } else {
                        stepBad = true;
                        parser.skipChildren();
                    }
                }
                case "value" -> {
                    if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                        value = parser.getDoubleValue();
                        valueState = Double.isInfinite(value) ? 3 : 1;
                    } else if (token == JsonToken.VALUE_STRING) {
                        switch (parser.getString()) {
                            case "NaN" -> { value = Double.NaN; valueState = 1; }
                            case "Infinity" -> { value = Double.POSITIVE_INFINITY; valueState = 1; }
                            case "-Infinity" -> { value = Double.NEGATIVE_INFINITY; valueState = 1; }
                            default -> valueState = 2;
                        }
                    } else {
                        valueState = token == JsonToken.VALUE_NULL ? 0 : 2;
                        parser.skipChildren();
                    }
                }
                case "epoch" -> {
                    if (token == JsonToken.VALUE_NULL) {
                        epoch = PointBatch.NO_EPOCH;
                    } else if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT
                            && parser.getIntValue() >= 0) {
                        epoch = parser.getIntValue();
                    } else {
                        epochBad = true;
                        parser.skipChildren();
                    }
                }
                case "time" -> {
                    if (token == JsonToken.VALUE_NULL) {
                        time = now;
                    } else if (token == JsonToken.VALUE_NUMBER_INT
                            && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER && parser.getLongValue() >= 0) {
                        time = parser.getLongValue();
                    } else if (token == JsonToken.VALUE_STRING) {
                        try {
                            time = Instant.parse(parser.getString()).toEpochMilli();
                        } catch (DateTimeParseException | ArithmeticException e) {
                            timeBad = true;
                        }
                    } else {
                        timeBad = true;
                        parser.skipChildren();
                    }
                }
                default -> {
                    if (unknown == null) {
                        unknown = name;
                    }
                    parser.skipChildren();
                }
            }
        }
        if (unknown != null) {
            return problem(index, unknown, "unknown field '" + unknown + "'");
        }
        if (keyBad || key < 0) {
            return problem(index, "key", "key must be 1 to 250 printable characters");
        }
        if (!stepSeen || stepBad) {
            return problem(index, "step", "step must be an integer >= 0");
        }
        switch (valueState) {
            case 0 -> {
                return problem(index, "value", "value is required");
            }
            case 2 -> {
                return problem(index, "value", VALUE_RULE);
            }
            case 3 -> {
                return problem(index, "value", "value is out of double range; send \"Infinity\" explicitly");
            }
            default -> { }
        }
        if (epochBad) {
            return problem(index, "epoch", "epoch must be an integer >= 0");
        }
        if (timeBad) {
            return problem(index, "time", TIME_RULE);
        }
        if (badCount == 0) {
            store(key, step, epoch, time, value);
        }
        return null;
    }

    /** The id of the key at the current string token; -1 for an invalid key. */
    private int keyId() {
        return keys.idOf(parser.getStringCharacters(), parser.getStringOffset(), parser.getStringLength());
    }

    private void store(int key, long step, int epoch, long time, double value) {
        if (size == steps.length) {
            int capacity = Math.min(MAX_POINTS, size * 2);
            keyIndex = Arrays.copyOf(keyIndex, capacity);
            steps = Arrays.copyOf(steps, capacity);
            epochs = Arrays.copyOf(epochs, capacity);
            times = Arrays.copyOf(times, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        keyIndex[size] = key;
        steps[size] = step;
        epochs[size] = epoch;
        times[size] = time;
        values[size] = value;
        size++;
    }

    private String problem(int index, String field, String message) {
        problems.add(new FieldProblem("points[" + index + "]." + field, message));
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
