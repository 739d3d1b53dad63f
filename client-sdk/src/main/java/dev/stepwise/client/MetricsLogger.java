package dev.stepwise.client;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * A logger facade: values are logged into namespaces ({@code train}, {@code valid}, ...; the
 * namespace becomes a key prefix, {@code train/loss}), possibly as lazily computed suppliers;
 * at {@link #write(String, long)} each sink whose minimum write interval for that namespace has
 * passed receives them. A supplier is evaluated only when at least one sink will write it, and
 * then once for all sinks; values that no sink writes are discarded.
 *
 * <pre>{@code
 * MetricsLogger logger = MetricsLogger.builder()
 *         .sink(LogSink.run(run))
 *         .sink(LogSink.trainLogFile(Path.of("log.json"), "baseline"))
 *         .sink(LogSink.console(System.out), Duration.ofSeconds(10))
 *         .minInterval("train", Duration.ofSeconds(1))
 *         .build();
 * logger.namespace("train").scalar("loss", () -> loss.item());
 * logger.write("train", step);
 * }</pre>
 *
 * <p>Thread-safe: all methods synchronize on the logger.
 */
public final class MetricsLogger implements AutoCloseable {

    private final List<SinkSlot> sinks;
    private final Map<String, Duration> namespaceIntervals;
    private final Duration defaultInterval;
    private final Clock clock;
    private final Map<String, Map<String, DoubleSupplier>> scalars = new HashMap<>();
    private final Map<String, Map<String, Supplier<String>>> texts = new HashMap<>();
    private final Map<String, Map<String, Rich>> rich = new HashMap<>();

    /** A pending rich value: how to hand it to a sink, with its supplier memoized across sinks. */
    @FunctionalInterface
    private interface Rich {
        void writeTo(LogSink sink, String key, long step);
    }

    private static <T> Supplier<T> once(Supplier<T> s) {
        Objects.requireNonNull(s, "value");
        return new Supplier<>() {
            private T value;
            private boolean done;

            @Override
            public T get() {
                if (!done) {
                    value = s.get();
                    done = true;
                }
                return value;
            }
        };
    }

    private synchronized void rich(String namespace, String key, Rich value) {
        rich.computeIfAbsent(checkNamespace(namespace), n -> new LinkedHashMap<>()).put(checkKey(key), value);
    }

    /**
     * Logs a lazily computed normalized image {@code [C][H][W]} (values in [0, 1]).
     *
     * @param namespace the namespace
     * @param key the key within the namespace
     * @param chw computes the image; called at most once, only if a sink uses it
     */
    public void image(String namespace, String key, Supplier<float[][][]> chw) {
        Supplier<float[][][]> v = once(chw);
        rich(namespace, key, (sink, k, step) -> sink.image(k, step, v));
    }

    /**
     * Logs lazily computed mono audio.
     *
     * @param namespace the namespace
     * @param key the key within the namespace
     * @param samples computes the samples in [-1, 1]; called at most once, only if a sink uses them
     * @param sampleRate samples per second
     */
    public void audio(String namespace, String key, Supplier<float[]> samples, int sampleRate) {
        Supplier<float[]> v = once(samples);
        rich(namespace, key, (sink, k, step) -> sink.audio(k, step, v, sampleRate));
    }

    /**
     * Logs a lazily computed encoded video.
     *
     * @param namespace the namespace
     * @param key the key within the namespace
     * @param video computes MP4, WebM or GIF bytes; called at most once, only if a sink uses them
     * @param fps frames per second
     */
    public void video(String namespace, String key, Supplier<byte[]> video, double fps) {
        Supplier<byte[]> v = once(video);
        rich(namespace, key, (sink, k, step) -> sink.video(k, step, v, fps));
    }

    /**
     * Logs a lazily computed histogram of values.
     *
     * @param namespace the namespace
     * @param key the key within the namespace
     * @param values computes the values; called at most once, only if a sink uses them
     */
    public void histogram(String namespace, String key, Supplier<double[]> values) {
        Supplier<double[]> v = once(values);
        rich(namespace, key, (sink, k, step) -> sink.histogram(k, step, v));
    }

    /**
     * Logs a lazily computed point cloud.
     *
     * @param namespace the namespace
     * @param key the key within the namespace
     * @param points computes {@code x, y, z[, r, g, b]} rows; called at most once, only if a sink uses them
     */
    public void pointCloud(String namespace, String key, Supplier<float[][]> points) {
        Supplier<float[][]> v = once(points);
        rich(namespace, key, (sink, k, step) -> sink.pointCloud(k, step, v));
    }

    /**
     * Logs a lazily computed confusion matrix.
     *
     * @param namespace the namespace
     * @param key the key within the namespace
     * @param matrix computes the matrix; called at most once, only if a sink uses it
     */
    public void confusionMatrix(String namespace, String key, Supplier<ConfusionMatrix> matrix) {
        Supplier<ConfusionMatrix> v = once(matrix);
        rich(namespace, key, (sink, k, step) -> sink.confusionMatrix(k, step, v));
    }
    private boolean closed;

    private MetricsLogger(Builder b) {
        this.sinks = List.copyOf(b.sinks);
        this.namespaceIntervals = Map.copyOf(b.namespaceIntervals);
        this.defaultInterval = b.defaultInterval;
        this.clock = b.clock;
    }

    /**
     * Starts a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns a view that logs into one namespace.
     *
     * @param name the namespace, such as {@code train}; not blank, without {@code /} at the ends
     * @return the view
     */
    public Namespace namespace(String name) {
        return new Namespace(checkNamespace(name));
    }

    /**
     * Logs a lazily computed scalar, replacing an unwritten value of the same key.
     *
     * @param namespace the namespace
     * @param key the key within the namespace
     * @param value computes the value; called only if a sink writes it
     */
    public synchronized void scalar(String namespace, String key, DoubleSupplier value) {
        Objects.requireNonNull(value, "value");
        scalars.computeIfAbsent(checkNamespace(namespace), n -> new LinkedHashMap<>()).put(checkKey(key), value);
    }

    /**
     * Logs a scalar.
     *
     * @param namespace the namespace
     * @param key the key within the namespace
     * @param value the value
     */
    public void scalar(String namespace, String key, double value) {
        scalar(namespace, key, () -> value);
    }

    /**
     * Logs a lazily computed text.
     *
     * @param namespace the namespace
     * @param key the key within the namespace
     * @param value computes the text; called only if a sink writes it
     */
    public synchronized void text(String namespace, String key, Supplier<String> value) {
        Objects.requireNonNull(value, "value");
        texts.computeIfAbsent(checkNamespace(namespace), n -> new LinkedHashMap<>()).put(checkKey(key), value);
    }

    /**
     * Sends configuration to every sink at once.
     *
     * @param config key to JSON-compatible value
     */
    public synchronized void config(Map<String, ?> config) {
        Map<String, Object> copy = new LinkedHashMap<>(config);
        for (SinkSlot s : sinks) {
            s.sink.config(copy);
        }
    }

    /**
     * Writes the pending values of one namespace at a step to every sink whose interval for it
     * has passed, then discards them.
     *
     * @param namespace the namespace
     * @param step the step
     * @return whether any sink wrote
     */
    public synchronized boolean write(String namespace, long step) {
        String ns = checkNamespace(namespace);
        Map<String, DoubleSupplier> sc = scalars.remove(ns);
        Map<String, Supplier<String>> tx = texts.remove(ns);
        Map<String, Rich> rx = rich.remove(ns);
        if ((sc == null || sc.isEmpty()) && (tx == null || tx.isEmpty()) && (rx == null || rx.isEmpty()) || closed) {
            return false;
        }
        long now = clock.millis();
        List<SinkSlot> due = new ArrayList<>();
        for (SinkSlot s : sinks) {
            Long last = s.lastWrite.get(ns);
            long interval = s.interval != null ? s.interval.toMillis()
                    : namespaceIntervals.getOrDefault(ns, defaultInterval).toMillis();
            if (last == null || now - last >= interval) {
                due.add(s);
            }
        }
        if (due.isEmpty()) {
            return false;
        }
        Map<String, Double> values = new LinkedHashMap<>();
        if (sc != null) {
            sc.forEach((k, v) -> values.put(ns + "/" + k, v.getAsDouble()));
        }
        Map<String, String> strings = new LinkedHashMap<>();
        if (tx != null) {
            tx.forEach((k, v) -> strings.put(ns + "/" + k, v.get()));
        }
        Map<String, Double> roValues = java.util.Collections.unmodifiableMap(values);
        Map<String, String> roStrings = java.util.Collections.unmodifiableMap(strings);
        for (SinkSlot s : due) {
            s.lastWrite.put(ns, now);
            s.sink.write(ns, step, roValues, roStrings);
            if (rx != null) {
                rx.forEach((k, v) -> v.writeTo(s.sink, ns + "/" + k, step));
            }
        }
        return true;
    }

    /**
     * Writes every namespace with pending values at a step.
     *
     * @param step the step
     */
    public synchronized void writeAll(long step) {
        List<String> names = new ArrayList<>(scalars.keySet());
        for (String n : texts.keySet()) {
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        for (String n : rich.keySet()) {
            if (!names.contains(n)) {
                names.add(n);
            }
        }
        for (String n : names) {
            write(n, step);
        }
    }

    /** Flushes every sink. */
    public synchronized void flush() {
        for (SinkSlot s : sinks) {
            s.sink.flush();
        }
    }

    /** Closes every sink; pending values are discarded. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SinkSlot s : sinks) {
            s.sink.close();
        }
    }

    private static String checkNamespace(String ns) {
        if (ns == null || ns.isBlank() || ns.startsWith("/") || ns.endsWith("/")) {
            throw new IllegalArgumentException("namespace must be non-blank without leading or trailing '/': " + ns);
        }
        return ns;
    }

    private static String checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be empty");
        }
        return key;
    }

    /** A view of a {@link MetricsLogger} bound to one namespace. Thread-safe. */
    public final class Namespace {
        private final String name;

        private Namespace(String name) {
            this.name = name;
        }

        /** @return the namespace name */
        public String name() {
            return name;
        }

        /**
         * Logs a lazily computed scalar in this namespace.
         *
         * @param key the key
         * @param value computes the value
         * @return this view
         */
        public Namespace scalar(String key, DoubleSupplier value) {
            MetricsLogger.this.scalar(name, key, value);
            return this;
        }

        /**
         * Logs a scalar in this namespace.
         *
         * @param key the key
         * @param value the value
         * @return this view
         */
        public Namespace scalar(String key, double value) {
            MetricsLogger.this.scalar(name, key, value);
            return this;
        }

        /**
         * Logs a lazily computed text in this namespace.
         *
         * @param key the key
         * @param value computes the text
         * @return this view
         */
        public Namespace text(String key, Supplier<String> value) {
            MetricsLogger.this.text(name, key, value);
            return this;
        }

        /**
         * Writes this namespace at a step.
         *
         * @param step the step
         * @return whether any sink wrote
         */
        public boolean write(long step) {
            return MetricsLogger.this.write(name, step);
        }
    }

    private static final class SinkSlot {
        final LogSink sink;
        final Duration interval;
        final Map<String, Long> lastWrite = new HashMap<>();

        SinkSlot(LogSink sink, Duration interval) {
            this.sink = sink;
            this.interval = interval;
        }
    }

    /** Builds a {@link MetricsLogger}; not thread-safe. */
    public static final class Builder {
        private final List<SinkSlot> sinks = new ArrayList<>();
        private final Map<String, Duration> namespaceIntervals = new HashMap<>();
        private Duration defaultInterval = Duration.ZERO;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Adds a sink that uses the logger's intervals.
         *
         * @param sink the sink
         * @return this builder
         */
        public Builder sink(LogSink sink) {
            sinks.add(new SinkSlot(Objects.requireNonNull(sink, "sink"), null));
            return this;
        }

        /**
         * Adds a sink with its own minimum write interval for every namespace.
         *
         * @param sink the sink
         * @param minInterval the least time between two writes of one namespace to this sink
         * @return this builder
         */
        public Builder sink(LogSink sink, Duration minInterval) {
            sinks.add(new SinkSlot(Objects.requireNonNull(sink, "sink"), nonNegative(minInterval)));
            return this;
        }

        /**
         * Sets the minimum write interval of every namespace. Default zero: every write goes through.
         *
         * @param interval not negative
         * @return this builder
         */
        public Builder minInterval(Duration interval) {
            this.defaultInterval = nonNegative(interval);
            return this;
        }

        /**
         * Sets the minimum write interval of one namespace, such as {@code train}.
         *
         * @param namespace the namespace
         * @param interval not negative
         * @return this builder
         */
        public Builder minInterval(String namespace, Duration interval) {
            namespaceIntervals.put(checkNamespace(namespace), nonNegative(interval));
            return this;
        }

        /**
         * Sets the clock the intervals are measured with. Default the UTC system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the logger.
         *
         * @return the logger
         */
        public MetricsLogger build() {
            return new MetricsLogger(this);
        }

        private static Duration nonNegative(Duration d) {
            Objects.requireNonNull(d, "interval");
            if (d.isNegative()) {
                throw new IllegalArgumentException("interval must not be negative");
            }
            return d;
        }
    }
}
