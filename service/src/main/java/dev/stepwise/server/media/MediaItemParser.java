package dev.stepwise.server.media;

import dev.stepwise.server.web.ProblemException;
import dev.stepwise.server.web.ProblemException.FieldProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * Validates a media upload {@code {batchId?, items: [...]}} all-or-nothing: every problem is
 * reported with its field path ({@code items[3].data.edges}), and nothing is stored unless there
 * is none.
 */
final class MediaItemParser {

    static final int MAX_ITEMS = 1000;
    static final int MAX_TEXT_BYTES = 1024 * 1024;
    static final int MAX_BINS = 1024;
    static final int MAX_POINTS = 200_000;
    static final int MAX_TABLE_ROWS = 10_000;
    static final int MAX_GRAPH_ELEMENTS = 100_000;
    static final int MAX_CAPTION = 10_000;
    private static final int MAX_REPORTED = 20;

    /** A valid item; {@code data} is its JSON text or null, {@code blob} a lower-case SHA-256 or null. */
    record Item(String key, long step, Integer epoch, long timeMillis, ItemType type, String caption, String blob,
            String data) {}

    record Batch(String batchId, List<Item> items) {}

    private final List<FieldProblem> problems = new ArrayList<>();
    private final long now;

    private MediaItemParser(long now) {
        this.now = now;
    }

    static Batch parse(JsonNode body, long now) {
        return new MediaItemParser(now).batch(body);
    }

    private Batch batch(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.badRequest("The body must be a JSON object {batchId?, items: [...]}");
        }
        String batchId = null;
        JsonNode items = null;
        for (Map.Entry<String, JsonNode> e : body.properties()) {
            switch (e.getKey()) {
                case "batchId" -> {
                    JsonNode v = e.getValue();
                    if (!v.isNull()) {
                        if (!v.isString() || v.asString().isEmpty() || v.asString().length() > 64
                                || !printable(v.asString())) {
                            throw ProblemException.invalid("batchId", "must be a string of 1 to 64 printable characters");
                        }
                        batchId = v.asString();
                    }
                }
                case "items" -> items = e.getValue();
                default -> throw ProblemException.invalid(e.getKey(), "unknown field");
            }
        }
        if (items == null || !items.isArray()) {
            throw ProblemException.invalid("items", "must be an array of items");
        }
        if (items.size() > MAX_ITEMS) {
            throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "A media upload carries at most " + MAX_ITEMS
                    + " items, not " + items.size());
        }
        List<Item> result = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item item = item("items[" + i + "]", items.get(i));
            if (item != null) {
                result.add(item);
            }
        }
        if (!problems.isEmpty()) {
            FieldProblem first = problems.get(0);
            throw ProblemException.badRequest("Invalid media upload: " + first.field() + " " + first.message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "")
                    + "; nothing was stored").withErrors(List.copyOf(problems));
        }
        return new Batch(batchId, result);
    }

    private boolean fail(String field, String message) {
        if (problems.size() < MAX_REPORTED) {
            problems.add(new FieldProblem(field, message));
        }
        return false;
    }

    private Item item(String at, JsonNode node) {
        if (!node.isObject()) {
            fail(at, "must be an object {key, step, type, epoch?, time?, blob?, data?, caption?}");
            return null;
        }
        int before = problems.size();
        String key = null;
        Long step = null;
        Integer epoch = null;
        long time = now;
        ItemType type = null;
        String caption = null;
        String blob = null;
        JsonNode data = null;
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            String f = at + "." + e.getKey();
            switch (e.getKey()) {
                case "key" -> {
                    if (v.isString() && !v.asString().isEmpty() && v.asString().length() <= 250 && printable(v.asString())) {
                        key = v.asString();
                    } else {
                        fail(f, "must be 1 to 250 printable characters");
                    }
                }
                case "step" -> {
                    if (v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 0) {
                        step = v.longValue();
                    } else {
                        fail(f, "must be an integer >= 0");
                    }
                }
                case "epoch" -> {
                    if (v.isNull()) {
                        break;
                    }
                    if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0) {
                        epoch = v.intValue();
                    } else {
                        fail(f, "must be an integer >= 0");
                    }
                }
                case "time" -> {
                    Long t = time(v);
                    if (t == null) {
                        fail(f, "must be ISO-8601 or epoch milliseconds");
                    } else {
                        time = t;
                    }
                }
                case "type" -> {
                    type = v.isString() ? ItemType.fromWire(v.asString()).orElse(null) : null;
                    if (type == null) {
                        fail(f, "must be one of image, audio, video, text, histogram, point_cloud, graph, "
                                + "confusion_matrix, table");
                    }
                }
                case "caption" -> {
                    if (v.isNull()) {
                        break;
                    }
                    if (v.isString() && v.asString().length() <= MAX_CAPTION && !v.asString().contains("\u0000")) {
                        caption = v.asString();
                    } else {
                        fail(f, "must be a string of at most " + MAX_CAPTION + " characters");
                    }
                }
                case "blob" -> {
                    if (v.isNull()) {
                        break;
                    }
                    if (v.isString() && v.asString().matches("[0-9a-fA-F]{64}")) {
                        blob = v.asString().toLowerCase(Locale.ROOT);
                    } else {
                        fail(f, "must be the SHA-256 of an uploaded blob (64 hexadecimal characters)");
                    }
                }
                case "data" -> data = v.isNull() ? null : v;
                default -> fail(f, "unknown field");
            }
        }
        if (key == null && node.get("key") == null) {
            fail(at + ".key", "is required");
        }
        if (step == null && node.get("step") == null) {
            fail(at + ".step", "is required");
        }
        if (type == null && node.get("type") == null) {
            fail(at + ".type", "is required");
        }
        if (type != null) {
            if (type.hasBlob() && blob == null && node.get("blob") == null) {
                fail(at + ".blob", "is required for " + type.wire() + " items");
            }
            if (!type.hasBlob() && node.get("blob") != null && !node.get("blob").isNull()) {
                fail(at + ".blob", type.wire() + " items carry no blob");
            }
            if (!type.hasBlob() && data == null) {
                fail(at + ".data", "is required for " + type.wire() + " items");
            } else if (data != null) {
                data(at + ".data", type, data);
                if (problems.size() == before) {
                    storable(at + ".data", data);
                }
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new Item(key, step, epoch, time, type, caption, blob, data == null ? null : data.toString());
    }

    private static Long time(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isString()) {
            try {
                return Instant.parse(v.asString()).toEpochMilli();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    private void data(String at, ItemType type, JsonNode data) {
        if (!data.isObject()) {
            fail(at, "must be an object");
            return;
        }
        Set<String> allowed = switch (type) {
            case IMAGE -> Set.of("width", "height");
            case AUDIO -> Set.of("sampleRate", "durationS");
            case VIDEO -> Set.of("fps", "width", "height");
            case TEXT -> Set.of("text");
            case HISTOGRAM -> Set.of("edges", "counts");
            case POINT_CLOUD -> Set.of("points");
            case GRAPH -> Set.of("nodes", "edges");
            case CONFUSION_MATRIX -> Set.of("labels", "matrix");
            case TABLE -> Set.of("columns", "rows");
        };
        for (String name : data.propertyNames()) {
            if (!allowed.contains(name)) {
                fail(at + "." + name, "unknown field for " + type.wire() + " items");
            }
        }
        switch (type) {
            case IMAGE -> {
                positiveInt(at, data, "width", false);
                positiveInt(at, data, "height", false);
            }
            case AUDIO -> {
                positiveInt(at, data, "sampleRate", false);
                nonNegativeNumber(at, data, "durationS");
            }
            case VIDEO -> {
                JsonNode fps = data.get("fps");
                if (fps != null && !fps.isNull() && !(fps.isNumber() && Double.isFinite(fps.doubleValue())
                        && fps.doubleValue() > 0)) {
                    fail(at + ".fps", "must be a number > 0");
                }
                positiveInt(at, data, "width", false);
                positiveInt(at, data, "height", false);
            }
            case TEXT -> text(at, data.get("text"));
            case HISTOGRAM -> histogram(at, data);
            case POINT_CLOUD -> pointCloud(at, data.get("points"));
            case GRAPH -> graph(at, data);
            case CONFUSION_MATRIX -> confusionMatrix(at, data);
            case TABLE -> table(at, data);
        }
    }

    private void positiveInt(String at, JsonNode data, String name, boolean required) {
        JsonNode v = data.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                fail(at + "." + name, "is required");
            }
            return;
        }
        if (!(v.isIntegralNumber() && v.canConvertToInt() && v.intValue() > 0)) {
            fail(at + "." + name, "must be an integer > 0");
        }
    }

    private void nonNegativeNumber(String at, JsonNode data, String name) {
        JsonNode v = data.get(name);
        if (v != null && !v.isNull() && !(v.isNumber() && Double.isFinite(v.doubleValue()) && v.doubleValue() >= 0)) {
            fail(at + "." + name, "must be a number >= 0");
        }
    }

    private void text(String at, JsonNode text) {
        if (text == null || !text.isString()) {
            fail(at + ".text", "is required and must be a string");
        } else if (text.asString().getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            fail(at + ".text", "must be at most 1 MiB of UTF-8");
        } else if (text.asString().contains("\u0000")) {
            fail(at + ".text", "must not contain NUL characters");
        }
    }

    private void histogram(String at, JsonNode data) {
        JsonNode edges = data.get("edges");
        JsonNode counts = data.get("counts");
        if (counts == null || !counts.isArray() || counts.isEmpty() || counts.size() > MAX_BINS) {
            fail(at + ".counts", "must be an array of 1 to " + MAX_BINS + " counts");
            return;
        }
        if (edges == null || !edges.isArray() || edges.size() != counts.size() + 1) {
            fail(at + ".edges", "must be an array of counts.length + 1 = " + (counts.size() + 1) + " numbers");
            return;
        }
        double previous = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < edges.size(); i++) {
            JsonNode e = edges.get(i);
            if (!e.isNumber() || !Double.isFinite(e.doubleValue())) {
                fail(at + ".edges[" + i + "]", "must be a finite number");
                return;
            }
            if (i > 0 && !(e.doubleValue() > previous)) {
                fail(at + ".edges[" + i + "]", "edges must be strictly ascending");
                return;
            }
            previous = e.doubleValue();
        }
        for (int i = 0; i < counts.size(); i++) {
            JsonNode c = counts.get(i);
            if (!c.isNumber() || !Double.isFinite(c.doubleValue()) || c.doubleValue() < 0) {
                fail(at + ".counts[" + i + "]", "must be a number >= 0");
                return;
            }
        }
    }

    private void pointCloud(String at, JsonNode points) {
        if (points == null || !points.isArray() || points.size() > MAX_POINTS) {
            fail(at + ".points", "must be an array of at most " + MAX_POINTS + " points");
            return;
        }
        for (int i = 0; i < points.size(); i++) {
            JsonNode p = points.get(i);
            if (!p.isArray() || (p.size() != 3 && p.size() != 6)) {
                fail(at + ".points[" + i + "]", "must be [x, y, z] or [x, y, z, r, g, b]");
                return;
            }
            for (int c = 0; c < p.size(); c++) {
                JsonNode v = p.get(c);
                if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                    fail(at + ".points[" + i + "][" + c + "]", "must be a finite number");
                    return;
                }
                if (c >= 3 && (v.doubleValue() < 0 || v.doubleValue() > 255)) {
                    fail(at + ".points[" + i + "][" + c + "]", "colours must be between 0 and 255");
                    return;
                }
            }
        }
    }

    private void graph(String at, JsonNode data) {
        JsonNode nodes = data.get("nodes");
        JsonNode edges = data.get("edges");
        if (nodes == null || !nodes.isArray() || nodes.size() > MAX_GRAPH_ELEMENTS) {
            fail(at + ".nodes", "must be an array of at most " + MAX_GRAPH_ELEMENTS + " nodes");
            return;
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode n = nodes.get(i);
            String f = at + ".nodes[" + i + "]";
            if (!n.isObject() || n.get("id") == null || !n.get("id").isString() || n.get("id").asString().isEmpty()) {
                fail(f + ".id", "is required and must be a non-empty string");
                return;
            }
            for (String name : n.propertyNames()) {
                JsonNode v = n.get(name);
                switch (name) {
                    case "id" -> { }
                    case "label", "op" -> {
                        if (!v.isNull() && !v.isString()) {
                            fail(f + "." + name, "must be a string");
                        }
                    }
                    case "shape" -> {
                        if (!v.isNull() && !v.isString() && !(v.isArray() && allIntegers(v))) {
                            fail(f + ".shape", "must be an array of integers or a string");
                        }
                    }
                    default -> fail(f + "." + name, "unknown field");
                }
            }
            if (!ids.add(n.get("id").asString())) {
                fail(f + ".id", "duplicates the id of an earlier node");
                return;
            }
        }
        if (edges == null || !edges.isArray() || edges.size() > MAX_GRAPH_ELEMENTS) {
            fail(at + ".edges", "must be an array of at most " + MAX_GRAPH_ELEMENTS + " edges");
            return;
        }
        for (int i = 0; i < edges.size(); i++) {
            JsonNode e = edges.get(i);
            String f = at + ".edges[" + i + "]";
            if (!e.isObject() || e.size() != 2) {
                fail(f, "must be an object {source, target}");
                return;
            }
            for (String end : List.of("source", "target")) {
                JsonNode v = e.get(end);
                if (v == null || !v.isString() || !ids.contains(v.asString())) {
                    fail(f + "." + end, "must be the id of a node");
                    return;
                }
            }
        }
    }

    /** PostgreSQL's jsonb holds neither NUL characters nor non-finite numbers; neither has a place in data. */
    private boolean storable(String at, JsonNode node) {
        if (node.isString()) {
            return !node.asString().contains("\u0000") || fail(at, "must not contain NUL characters");
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() || Double.isFinite(node.doubleValue()) || fail(at, "must be a finite number");
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (!storable(at + "[" + i + "]", node.get(i))) {
                    return false;
                }
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (e.getKey().contains("\u0000") || !storable(at + "." + e.getKey(), e.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean allIntegers(JsonNode array) {
        for (JsonNode v : array) {
            if (!v.isIntegralNumber()) {
                return false;
            }
        }
        return true;
    }

    private void confusionMatrix(String at, JsonNode data) {
        JsonNode matrix = data.get("matrix");
        if (matrix == null || !matrix.isArray() || matrix.isEmpty() || matrix.size() > MAX_BINS) {
            fail(at + ".matrix", "must be a square array of 1 to " + MAX_BINS + " rows");
            return;
        }
        int n = matrix.size();
        for (int r = 0; r < n; r++) {
            JsonNode row = matrix.get(r);
            if (!row.isArray() || row.size() != n) {
                fail(at + ".matrix[" + r + "]", "must have " + n + " counts (the matrix is square)");
                return;
            }
            for (int c = 0; c < n; c++) {
                JsonNode v = row.get(c);
                if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                    fail(at + ".matrix[" + r + "][" + c + "]", "must be an integer count >= 0");
                    return;
                }
            }
        }
        JsonNode labels = data.get("labels");
        if (labels != null && !labels.isNull()) {
            if (!labels.isArray() || labels.size() != n) {
                fail(at + ".labels", "must be an array of " + n + " labels (one per row)");
                return;
            }
            for (int i = 0; i < n; i++) {
                if (!labels.get(i).isString() || labels.get(i).asString().contains("\u0000")) {
                    fail(at + ".labels[" + i + "]", "must be a string");
                    return;
                }
            }
        }
    }

    private void table(String at, JsonNode data) {
        JsonNode columns = data.get("columns");
        JsonNode rows = data.get("rows");
        if (columns == null || !columns.isArray() || columns.isEmpty() || columns.size() > 1000) {
            fail(at + ".columns", "must be an array of 1 to 1000 column names");
            return;
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!columns.get(i).isString() || columns.get(i).asString().contains("\u0000")) {
                fail(at + ".columns[" + i + "]", "must be a string");
                return;
            }
        }
        if (rows == null || !rows.isArray() || rows.size() > MAX_TABLE_ROWS) {
            fail(at + ".rows", "must be an array of at most " + MAX_TABLE_ROWS + " rows");
            return;
        }
        for (int r = 0; r < rows.size(); r++) {
            JsonNode row = rows.get(r);
            if (!row.isArray() || row.size() != columns.size()) {
                fail(at + ".rows[" + r + "]", "must have " + columns.size() + " values (one per column)");
                return;
            }
            for (int c = 0; c < row.size(); c++) {
                JsonNode v = row.get(c);
                if (!(v.isNull() || v.isBoolean() || v.isNumber() || (v.isString() && !v.asString().contains("\u0000")))) {
                    fail(at + ".rows[" + r + "][" + c + "]", "must be a string, number, boolean or null");
                    return;
                }
            }
        }
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
