package dev.stepwise.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.stepwise.client.internal.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;

/**
 * A TrainLog: the TorchLean training-log JSON artifact that Stepwise imports, exports and spools,
 * and the SDK's one codec of it — the spool's entries, the TrainLog-file destination
 * ({@code STEPWISE_MODE=path.json}), the {@code MetricsLogger} file sink and the CLI's import and
 * export all read and write through this class.
 *
 * <pre>{@code
 * { "title": "Training", "steps": [0, 10, 20],
 *   "series": [ { "name": "loss", "values": [2.3, "NaN", 0.9], "color": "#0a7" } ],
 *   "notes": [ "project=vision", "run_name=baseline", "run_id=abc" ] }
 * }</pre>
 *
 * <p>Non-finite values travel as the strings {@code "NaN"}, {@code "Infinity"} and
 * {@code "-Infinity"}; a {@code "NaN"} also marks a step a series did not report. The reader
 * accepts every field missing except {@code series[].name} and {@code series[].values}, and
 * rejects a non-array {@code series} with a clear error. Unknown top-level fields are ignored
 * (the spool stores its exact-replay data in one).
 *
 * <p>Immutable and thread-safe.
 */
public final class TrainLog {

    /** The title used when a log has none. */
    public static final String DEFAULT_TITLE = "Training";
    /** The series color used when a series has none. */
    public static final String DEFAULT_COLOR = "#0a7";

    private final String title;
    private final long[] steps;
    private final List<Series> series;
    private final List<String> notes;

    static {
        dev.stepwise.client.internal.TrainLogFields.register(TrainLog::writeFields);
    }

    private TrainLog(String title, long[] steps, List<Series> series, List<String> notes) {
        this.title = title;
        this.steps = steps;
        this.series = Collections.unmodifiableList(new ArrayList<>(series));
        this.notes = Collections.unmodifiableList(new ArrayList<>(notes));
    }

    /**
     * Starts a builder for a new log.
     *
     * @return a new builder with title {@value #DEFAULT_TITLE}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the title, {@value #DEFAULT_TITLE} when the file had none */
    public String title() {
        return title;
    }

    /** @return the explicit step indices (a copy); empty means {@code 0..n-1} */
    public long[] steps() {
        return steps.clone();
    }

    /**
     * Returns the step of the value at an index, taking missing {@code steps} to mean {@code 0..n-1}.
     *
     * @param index a value index
     * @return the step
     */
    public long stepAt(int index) {
        return index < steps.length ? steps[index] : index;
    }

    /** @return the series in file order */
    public List<Series> series() {
        return series;
    }

    /** @return the notes in file order */
    public List<String> notes() {
        return notes;
    }

    /**
     * Returns the value of the first note of the form {@code key=value}.
     *
     * @param key the note key, such as {@code run_id}
     * @return the value, if such a note exists
     */
    public Optional<String> note(String key) {
        String prefix = key + "=";
        for (String n : notes) {
            if (n.startsWith(prefix)) {
                return Optional.of(n.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    /**
     * Reads a TrainLog file.
     *
     * @param file the JSON file
     * @return the log
     * @throws IOException when the file cannot be read or is not a valid TrainLog
     */
    public static TrainLog read(Path file) throws IOException {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a TrainLog from a stream (not closed).
     *
     * @param in the JSON stream
     * @return the log
     * @throws IOException when the stream fails or is not a valid TrainLog
     */
    public static TrainLog read(InputStream in) throws IOException {
        return parse(in.readAllBytes());
    }

    /**
     * Parses TrainLog JSON.
     *
     * @param json UTF-8 JSON bytes
     * @return the log
     * @throws IOException when the bytes are not a valid TrainLog
     */
    public static TrainLog parse(byte[] json) throws IOException {
        Object root = Json.read(json);
        if (!(root instanceof Map)) {
            throw new IOException("not a TrainLog: the document must be a JSON object");
        }
        try {
            return fromTree((Map<?, ?>) root);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a TrainLog: " + e.getMessage(), e);
        }
    }

    private static TrainLog fromTree(Map<?, ?> root) {
        Builder b = builder();
        Object title = root.get("title");
        if (title != null) {
            if (!(title instanceof String)) {
                throw new IllegalArgumentException("'title' must be a string");
            }
            b.title((String) title);
        }
        Object steps = root.get("steps");
        if (steps != null) {
            if (!(steps instanceof List)) {
                throw new IllegalArgumentException("'steps' must be an array of integers");
            }
            List<?> l = (List<?>) steps;
            long[] s = new long[l.size()];
            for (int i = 0; i < s.length; i++) {
                Object v = l.get(i);
                if (!(v instanceof Long) && !(v instanceof Double && ((Double) v) == Math.rint((Double) v))) {
                    throw new IllegalArgumentException("'steps[" + i + "]' must be an integer, got " + v);
                }
                s[i] = ((Number) v).longValue();
            }
            b.steps(s);
        }
        Object series = root.get("series");
        if (series != null) {
            if (!(series instanceof List)) {
                throw new IllegalArgumentException("'series' must be an array of {name, values} objects, got "
                        + describe(series));
            }
            List<?> l = (List<?>) series;
            for (int i = 0; i < l.size(); i++) {
                b.series(seriesFromTree(l.get(i), i));
            }
        }
        Object notes = root.get("notes");
        if (notes != null) {
            if (!(notes instanceof List)) {
                throw new IllegalArgumentException("'notes' must be an array of strings");
            }
            for (Object n : (List<?>) notes) {
                b.note(String.valueOf(n));
            }
        }
        return b.build();
    }

    private static Series seriesFromTree(Object o, int index) {
        String where = "series[" + index + "]";
        if (!(o instanceof Map)) {
            throw new IllegalArgumentException("'" + where + "' must be an object");
        }
        Map<?, ?> m = (Map<?, ?>) o;
        Object name = m.get("name");
        if (!(name instanceof String)) {
            throw new IllegalArgumentException("'" + where + ".name' is required and must be a string");
        }
        Object values = m.get("values");
        if (!(values instanceof List)) {
            throw new IllegalArgumentException("'" + where + ".values' is required and must be an array");
        }
        List<?> vl = (List<?>) values;
        double[] v = new double[vl.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Json.toDouble(vl.get(i), where + ".values[" + i + "]");
        }
        Object color = m.get("color");
        return new Series((String) name, v, color instanceof String ? (String) color : DEFAULT_COLOR);
    }

    private static String describe(Object o) {
        if (o instanceof Map) {
            return "an object";
        }
        if (o instanceof String) {
            return "a string";
        }
        if (o instanceof Number) {
            return "a number";
        }
        return String.valueOf(o);
    }

    /**
     * Writes this log to a file atomically (a temporary file beside it, then a rename), creating
     * parent directories, so a reader never sees half a log.
     *
     * @param file the target file (replaced if it exists)
     * @throws IOException when writing fails
     */
    public void write(Path file) throws IOException {
        writeAtomically(file, toJson());
    }

    /**
     * Writes bytes to a file through a temporary file and a rename, creating parent directories.
     * Shared by every TrainLog-format file the SDK writes (logs and confusion matrices).
     */
    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Formats a config entry as a TrainLog note, {@code config.<key>=<value>}: a string as it is,
     * any other value as JSON (so {@code 0.01}, {@code true}, {@code [1,2]}).
     *
     * @param key the config key
     * @param value a JSON-compatible value
     * @return the note
     */
    public static String configNote(String key, Object value) {
        return "config." + key + "=" + (value instanceof String ? (String) value
                : new String(Json.toBytes(value), java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Formats an artifact reference as a TrainLog note,
     * {@code artifact.<name>=<uri> kind=<kind> desc=<text>} (kind and desc only when given).
     *
     * @param name the artifact name
     * @param uri its path or URL
     * @param kind its kind, or {@code null}
     * @param description its description, or {@code null}
     * @return the note
     */
    public static String artifactNote(String name, String uri, String kind, String description) {
        return "artifact." + name + "=" + uri + (kind == null ? "" : " kind=" + kind)
                + (description == null ? "" : " desc=" + description);
    }

    /**
     * Writes this log to a stream (not closed).
     *
     * @param out the stream
     * @throws IOException when writing fails
     */
    public void write(OutputStream out) throws IOException {
        out.write(toJson());
    }

    /** @return this log as UTF-8 JSON */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Json.generator(out)) {
            g.writeStartObject();
            writeFields(g);
            g.writeEndObject();
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** Writes the TrainLog fields (without the enclosing braces) to a generator; the spool adds its own. */
    private void writeFields(JsonGenerator g) {
        g.writeName("title");
        g.writeString(title);
        g.writeName("steps");
        g.writeStartArray();
        for (long s : steps) {
            g.writeNumber(s);
        }
        g.writeEndArray();
        g.writeName("series");
        g.writeStartArray();
        for (Series s : series) {
            g.writeStartObject();
            g.writeName("name");
            g.writeString(s.name);
            g.writeName("values");
            g.writeStartArray();
            for (double v : s.values) {
                Json.writeDouble(g, v);
            }
            g.writeEndArray();
            g.writeName("color");
            g.writeString(s.color);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeName("notes");
        g.writeStartArray();
        for (String n : notes) {
            g.writeString(n);
        }
        g.writeEndArray();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TrainLog)) {
            return false;
        }
        TrainLog t = (TrainLog) o;
        return title.equals(t.title) && Arrays.equals(steps, t.steps) && series.equals(t.series)
                && notes.equals(t.notes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(title, Arrays.hashCode(steps), series, notes);
    }

    @Override
    public String toString() {
        return "TrainLog[title=" + title + ", steps=" + steps.length + ", series=" + series + ", notes=" + notes + "]";
    }

    /**
     * One named metric in a {@link TrainLog}: values aligned with the log's steps.
     *
     * <p>Immutable and thread-safe.
     */
    public static final class Series {
        private final String name;
        private final double[] values;
        private final String color;

        private Series(String name, double[] values, String color) {
            this.name = Objects.requireNonNull(name, "name");
            this.values = values.clone();
            this.color = color == null ? DEFAULT_COLOR : color;
        }

        /**
         * Creates a series with the default color.
         *
         * @param name the metric name
         * @param values the values; {@code NaN} marks a step the metric did not report
         * @return the series
         */
        public static Series create(String name, double... values) {
            return new Series(name, values, DEFAULT_COLOR);
        }

        /**
         * Creates a series with a color.
         *
         * @param name the metric name
         * @param color a CSS color such as {@code #0a7}
         * @param values the values
         * @return the series
         */
        public static Series create(String name, String color, double... values) {
            return new Series(name, values, color);
        }

        /** @return the metric name */
        public String name() {
            return name;
        }

        /** @return a copy of the values */
        public double[] values() {
            return values.clone();
        }

        /** @return the number of values */
        public int size() {
            return values.length;
        }

        /**
         * Returns one value.
         *
         * @param index the index
         * @return the value at that index
         */
        public double value(int index) {
            return values[index];
        }

        /** @return the color */
        public String color() {
            return color;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Series)) {
                return false;
            }
            Series s = (Series) o;
            return name.equals(s.name) && color.equals(s.color) && Arrays.equals(values, s.values);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, color, Arrays.hashCode(values));
        }

        @Override
        public String toString() {
            return name + Arrays.toString(values);
        }
    }

    /**
     * Builds a {@link TrainLog}, either from aligned {@link #steps} and {@link #series}, or from
     * sparse {@link #point points} that {@link #build} aligns. Not thread-safe.
     */
    public static final class Builder {
        private String title = DEFAULT_TITLE;
        private long[] steps = new long[0];
        private final List<Series> series = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();
        private final Map<String, java.util.TreeMap<Long, Double>> points = new java.util.LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Sets the title. Default {@value TrainLog#DEFAULT_TITLE}.
         *
         * @param title the title
         * @return this builder
         */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /**
         * Sets the step indices. Default empty, meaning {@code 0..n-1}.
         *
         * @param steps the steps
         * @return this builder
         */
        public Builder steps(long... steps) {
            this.steps = steps.clone();
            return this;
        }

        /**
         * Adds a series.
         *
         * @param s the series
         * @return this builder
         */
        public Builder series(Series s) {
            series.add(Objects.requireNonNull(s, "series"));
            return this;
        }

        /**
         * Adds a note such as {@code run_id=...}.
         *
         * @param note the note
         * @return this builder
         */
        public Builder note(String note) {
            notes.add(Objects.requireNonNull(note, "note"));
            return this;
        }

        /**
         * Records one point of a series by step. {@link #build} aligns the points: the steps are the
         * sorted union of every point's step, each series holds {@code NaN} where it has no point,
         * series keep the order of their first point, and of two points at one step the later wins.
         * A logged NaN therefore reads back as "did not report" — the format cannot tell them apart.
         *
         * @param name the series name
         * @param step the step
         * @param value the value
         * @return this builder
         */
        public Builder point(String name, long step, double value) {
            points.computeIfAbsent(Objects.requireNonNull(name, "name"), k -> new java.util.TreeMap<>())
                    .put(step, value);
            return this;
        }

        /**
         * Builds the log.
         *
         * @return the immutable log
         * @throws IllegalStateException when points were combined with {@link #steps} or {@link #series}
         */
        public TrainLog build() {
            if (points.isEmpty()) {
                return new TrainLog(title, steps, series, notes);
            }
            if (steps.length > 0 || !series.isEmpty()) {
                throw new IllegalStateException("point(...) cannot be combined with steps(...) or series(...)");
            }
            java.util.TreeSet<Long> union = new java.util.TreeSet<>();
            points.values().forEach(m -> union.addAll(m.keySet()));
            long[] aligned = union.stream().mapToLong(Long::longValue).toArray();
            List<Series> out = new ArrayList<>();
            points.forEach((k, m) -> {
                double[] v = new double[aligned.length];
                for (int i = 0; i < aligned.length; i++) {
                    v[i] = m.getOrDefault(aligned[i], Double.NaN);
                }
                out.add(new Series(k, v, DEFAULT_COLOR));
            });
            return new TrainLog(title, aligned, out, notes);
        }
    }
}
