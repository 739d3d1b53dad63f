package dev.stepwise.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.stepwise.client.internal.Engine;
import dev.stepwise.client.internal.Point;
import dev.stepwise.client.internal.RunState;
import dev.stepwise.client.internal.RunTrainLogFile;

/**
 * An open run: log metrics to it, attach artifacts, and finish it.
 *
 * <p>Obtained from {@link Stepwise#newRun()} or {@link Stepwise#start(RunSpec)}. Logging never
 * blocks on the network and never throws for network trouble: points are queued and uploaded in
 * the background (see {@link Stepwise}). A point needs a key of 1 to 250 printable characters and
 * a step of at least 0; anything else is dropped, counted in {@link Stats#dropped()}, and warned
 * about. Closing a run ({@link #close()}) finishes it.
 *
 * <p>Thread-safe: several threads may log to one run.
 */
public final class Run implements AutoCloseable {

    /** The longest metric key the server accepts. */
    public static final int MAX_KEY_LENGTH = 250;

    private final Stepwise client;
    private final Engine engine;
    private final RunState state;
    private final boolean disabled;
    private final java.time.Clock clock;
    private final AtomicLong lastStep;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long epoch = -1;
    private volatile String status = "RUNNING";
    private volatile RunTrainLogFile trainLogFile;
    private final RunMedia media;

    Run(Stepwise client, Engine engine, RunState state, long lastStep, boolean disabled) {
        this.client = client;
        this.engine = engine;
        this.state = state;
        this.disabled = disabled;
        this.clock = engine.settings().clock();
        this.lastStep = new AtomicLong(lastStep);
        this.media = new RunMedia(engine.runs(), state, clock);
    }

    /** @return the run's UUID */
    public UUID id() {
        return state.id;
    }

    /** @return the run's name, or {@code null} when it has none */
    public String name() {
        return state.spec.name();
    }

    /** @return the project slug the run belongs to */
    public String project() {
        return state.project;
    }

    /** @return the spec the run was started with */
    public RunSpec spec() {
        return state.spec;
    }

    /**
     * Returns the status this client last set: {@code RUNNING} until finished, then
     * {@code FINISHED}, {@code FAILED} or {@code KILLED}.
     *
     * @return the local status
     */
    public String status() {
        return status;
    }

    /** @return whether the run is still open for logging */
    public boolean isOpen() {
        return !closed.get();
    }

    /** @return the greatest step logged so far (or known on the server when resumed), -1 when none */
    public long lastStep() {
        return lastStep.get();
    }

    /** @return the epoch attached to new points, -1 when none */
    public long epoch() {
        return epoch;
    }

    /**
     * Sets the epoch attached to every point logged from now on, until changed.
     *
     * @param epoch the epoch, at least 0, or -1 to attach none
     * @throws IllegalArgumentException when below -1
     */
    public void setEpoch(long epoch) {
        if (epoch < -1) {
            throw new IllegalArgumentException("epoch must be >= 0 (or -1 for none), was " + epoch);
        }
        this.epoch = epoch;
    }

    /**
     * Logs a value at the next step: one past the run's greatest step so far.
     *
     * @param key the metric key, such as {@code train/loss}
     * @param value any double, NaN and infinities included (a NaN is stored as a real point)
     */
    public void log(String key, double value) {
        log(key, value, lastStep.incrementAndGet());
    }

    /**
     * Logs a value at an explicit step. Never blocks on the network, never throws.
     *
     * @param key the metric key, 1 to 250 printable characters
     * @param value any double, NaN and infinities included
     * @param step the step, at least 0
     */
    public void log(String key, double value, long step) {
        if (!validKey(key)) {
            engine.refuse("invalid key", "invalid metric key '" + key + "' (1 to " + MAX_KEY_LENGTH + " printable characters)");
            return;
        }
        if (step < 0) {
            engine.refuse("negative step", "negative step " + step + " for key '" + key + "'");
            return;
        }
        if (closed.get()) {
            engine.refuse("run already ended", "run " + state.id + " is already " + status);
            return;
        }
        long seen = lastStep.get();
        while (step > seen && !lastStep.compareAndSet(seen, step)) {
            seen = lastStep.get();
        }
        if (disabled) {
            engine.offer(null);
            RunTrainLogFile file = trainLogFile;
            if (file != null) {
                file.point(key, step, value);
            }
            return;
        }
        engine.offer(new Point(state, key, step, value, epoch, clock.millis()));
    }

    /**
     * Logs several values at one step.
     *
     * @param values key to value; {@code null} values are skipped
     * @param step the step, at least 0
     */
    public void log(Map<String, ? extends Number> values, long step) {
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            if (e.getValue() != null) {
                log(e.getKey(), e.getValue().doubleValue(), step);
            }
        }
    }

    /**
     * Logs several values at the next step (one past the greatest step so far), all at the same step.
     *
     * @param values key to value; {@code null} values are skipped
     */
    public void log(Map<String, ? extends Number> values) {
        log(values, lastStep.incrementAndGet());
    }

    /**
     * Records an artifact reference; the URI is stored as given, never opened. The reference gets
     * its id here, so retries and spool replays of it are stored once.
     *
     * @param name short name, such as {@code checkpoint}
     * @param uri a path or URL
     * @param kind a kind such as {@code model}, or {@code null} for the server default {@code file}
     * @param description a description, or {@code null}
     */
    public void artifact(String name, String uri, String kind, String description) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", UUID.randomUUID().toString());
        body.put("name", name);
        body.put("uri", uri);
        if (kind != null) {
            body.put("kind", kind);
        }
        if (description != null) {
            body.put("description", description);
        }
        engine.runs().artifact(state, body);
        RunTrainLogFile file = trainLogFile;
        if (file != null) {
            file.artifact(name, uri, kind, description);
        }
    }

    /**
     * Records an artifact reference of the default kind.
     *
     * @param name short name
     * @param uri a path or URL
     */
    public void artifact(String name, String uri) {
        artifact(name, uri, null, null);
    }

    /**
     * Merges one config entry into the run, after every point logged so far; sent once, retried
     * and spooled like points. Never blocks on the network.
     *
     * @param key the config key
     * @param value a number, string, boolean, enum, list or map of those, or {@code null}
     * @throws IllegalArgumentException when the value is of another type
     */
    public void config(String key, Object value) {
        Map<String, Object> one = new java.util.LinkedHashMap<>();
        one.put(java.util.Objects.requireNonNull(key, "key"), value);
        config(one);
    }

    /**
     * Merges config entries into the run (keys present on the server are replaced), after every
     * point logged so far; sent once, retried and spooled like points. Never blocks on the network.
     *
     * @param entries key to a number, string, boolean, enum, list or map of those
     * @throws IllegalArgumentException when a value is of another type
     * @throws IllegalStateException when the run has ended
     */
    public void config(Map<String, ?> entries) {
        if (closed.get()) {
            throw new IllegalStateException("run " + state.id + " is already " + status);
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, ?> e : entries.entrySet()) {
            copy.put(e.getKey(), RunSpec.Builder.checkJson(e.getValue(), e.getKey()));
        }
        engine.runs().config(state, copy);
    }

    /** Marks the run {@code FINISHED} after every point logged so far. Idempotent; later logs are dropped. */
    public void finish() {
        end("FINISHED");
    }

    /**
     * Marks the run {@code FAILED} after every point logged so far. Idempotent.
     *
     * @param cause why it failed (reported in the local warning), or {@code null}
     */
    public void fail(Throwable cause) {
        if (end("FAILED") && cause != null) {
            dev.stepwise.client.internal.Warnings.LOG.log(System.Logger.Level.WARNING,
                    "Stepwise run " + state.id + " failed: " + cause);
        }
    }

    /** Same as {@link #finish()}. */
    /**
     * Ends the run with a final status; like {@link #finish()} or {@link #fail(Throwable)} without a cause.
     *
     * @param status {@link RunStatus#FINISHED}, {@link RunStatus#FAILED} or {@link RunStatus#KILLED}
     * @throws IllegalArgumentException for a status that does not end a run
     */
    public void finish(RunStatus status) {
        if (status == null || !status.terminal()) {
            throw new IllegalArgumentException("a run ends FINISHED, FAILED or KILLED, not " + status);
        }
        end(status.name());
    }

    /**
     * Ends the run with a final status given as text: a status name in any case, or the seed
     * tracker's {@code completed} (FINISHED) and {@code failed} (FAILED).
     *
     * @param status the status word
     * @throws IllegalArgumentException for a word that names no final status
     */
    public void finish(String status) {
        finish(RunStatus.parse(status));
    }

    @Override
    public void close() {
        finish();
    }

    boolean end(String finalStatus) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        status = finalStatus;
        engine.runs().status(state, finalStatus);
        RunTrainLogFile file = trainLogFile;
        if (file != null) {
            try {
                file.write(finalStatus);
            } catch (java.io.IOException e) {
                dev.stepwise.client.internal.Warnings.LOG.log(System.Logger.Level.WARNING,
                        "Stepwise could not write the TrainLog file " + file.file() + ": " + e);
            }
        }
        client.forget(this);
        return true;
    }

    /** Records this run into a TrainLog file destination as well (the client sends nothing then). */
    void recordTo(RunTrainLogFile file) {
        this.trainLogFile = file;
    }

    // ------------------------------------------------------------------ rich data
    //
    // Every method below queues one item and returns at once: it never blocks on the network and
    // never throws. Input arrays are copied on the caller's thread; encoding (PNG, WAV, binning,
    // hashing) runs on the upload worker. Blobs are uploaded first, content-addressed, then the
    // item under its own batchId; retried, spooled with their bytes, replayed exactly once.
    // Invalid input is dropped and counted in Stats.media(). In DISABLED mode nothing is kept,
    // except that a TrainLog-file destination records texts and confusion matrices.

    private boolean mediaClosed(String type, String key) {
        if (closed.get()) {
            engine.runs().refuseMedia("run already ended", type + " '" + key + "' for run " + state.id + ", already " + status);
            return true;
        }
        return false;
    }

    /**
     * Runs the caller-side part of a rich-data method: arguments that cannot be read (null, ragged
     * arrays) drop the item with a counted reason, as for any invalid item, and never throw.
     */
    private void guarded(String type, String key, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            engine.runs().refuseMedia("invalid " + type, type + " '" + key + "': " + e);
        }
    }

    private void queue(String key, long step, String type, long weight, RunMedia.Encoder encoder) {
        if (!mediaClosed(type, key)) {
            media.queue(key, step, epoch, type, weight, encoder);
        }
    }

    /**
     * Logs an image from encoded PNG, JPEG, GIF or WebP bytes (stored as they are).
     *
     * @param key the key, as for metrics
     * @param step the step, at least 0
     * @param encodedImage the bytes; copied
     */
    public void image(String key, long step, byte[] encodedImage) {
        guarded("image", key, () -> {
            queue(key, step, "image", encodedImage.length, RunMedia.imageBytes(encodedImage));
        });
    }

    /**
     * Logs an image, encoded as PNG on the upload worker. Do not change the image afterwards.
     *
     * @param key the key
     * @param step the step, at least 0
     * @param image the image
     */
    public void image(String key, long step, java.awt.image.BufferedImage image) {
        guarded("image", key, () -> {
            queue(key, step, "image", 4L * image.getWidth() * image.getHeight(), RunMedia.image(() -> image));
        });
    }

    /**
     * Logs a gray image {@code [H][W]} with values in [0, 1] (clamped), as an 8-bit PNG.
     *
     * @param key the key
     * @param step the step, at least 0
     * @param gray rows of pixels; copied
     */
    public void image(String key, long step, float[][] gray) {
        guarded("image", key, () -> {
            float[][] copy = RunMedia.copy(gray);
            queue(key, step, "image", 4L * copy.length * (copy.length == 0 ? 0 : copy[0].length),
                    RunMedia.image(() -> dev.stepwise.client.internal.MediaEncoding.image(copy)));
        });
    }

    /**
     * Logs a normalized image {@code [C][H][W]} with values in [0, 1] (clamped): C = 1 gray,
     * 3 RGB, 4 RGBA, as an 8-bit PNG (seed 003's image shape).
     *
     * @param key the key
     * @param step the step, at least 0
     * @param chw channels, rows, columns; copied
     */
    public void image(String key, long step, float[][][] chw) {
        guarded("image", key, () -> {
            float[][][] copy = RunMedia.copy(chw);
            long n = copy.length == 0 || copy[0].length == 0 ? 0 : 4L * copy.length * copy[0].length * copy[0][0].length;
            queue(key, step, "image", n, RunMedia.image(() -> dev.stepwise.client.internal.MediaEncoding.image(copy)));
        });
    }

    /**
     * Logs a histogram of values in 30 equal-width bins over their range, like the seed tracker
     * ({@code numpy.histogram}); non-finite values are not counted.
     *
     * @param key the key
     * @param step the step, at least 0
     * @param values the values; copied
     */
    public void histogram(String key, long step, double[] values) {
        histogram(key, step, values, dev.stepwise.client.internal.MediaEncoding.DEFAULT_BINS);
    }

    /**
     * Logs a histogram of values in {@code bins} equal-width bins over their range.
     *
     * @param key the key
     * @param step the step, at least 0
     * @param values the values; copied
     * @param bins 1 to 1024
     */
    public void histogram(String key, long step, double[] values, int bins) {
        guarded("histogram", key, () -> {
            double[] copy = values.clone();
            queue(key, step, "histogram", 8L * copy.length,
                    RunMedia.histogram(() -> dev.stepwise.client.internal.MediaEncoding.histogram(copy, bins)));
        });
    }

    /**
     * Logs a histogram given as bin edges and counts.
     *
     * @param key the key
     * @param step the step, at least 0
     * @param edges n + 1 ascending finite edges, 1 &le; n &le; 1024
     * @param counts n counts, each at least 0
     */
    public void histogram(String key, long step, double[] edges, long[] counts) {
        guarded("histogram", key, () -> {
            double[] e = edges.clone();
            long[] c = counts.clone();
            queue(key, step, "histogram", 8L * (e.length + c.length),
                    RunMedia.histogram(() -> dev.stepwise.client.internal.MediaEncoding.histogram(e, c)));
        });
    }

    /**
     * Logs a text, such as a generated sample (at most 1 MiB of UTF-8).
     *
     * @param key the key
     * @param step the step, at least 0
     * @param text the text
     */
    public void text(String key, long step, String text) {
        RunTrainLogFile file = trainLogFile;
        if (file != null && text != null) {
            file.text(key, step, text);
        }
        if (text == null || text.length() > (1 << 20)) {
            engine.runs().refuseMedia("invalid text", "text '" + key + "' is null or over 1 MiB");
            return;
        }
        queue(key, step, "text", 2L * text.length(), RunMedia.data("text", () -> Map.of("text", text)));
    }

    /**
     * Logs mono audio, encoded as 16-bit PCM WAV on the upload worker.
     *
     * @param key the key
     * @param step the step, at least 0
     * @param samples samples in [-1, 1] (clamped); copied
     * @param sampleRate samples per second, at least 1
     */
    public void audio(String key, long step, float[] samples, int sampleRate) {
        guarded("audio", key, () -> {
            if (sampleRate < 1) {
                engine.runs().refuseMedia("invalid audio", "sample rate " + sampleRate + " for audio '" + key + "'");
                return;
            }
            queue(key, step, "audio", 4L * samples.length, RunMedia.audio(samples, sampleRate));
        });
    }

    /**
     * Logs an encoded video: MP4, WebM or animated GIF bytes (stored as they are).
     *
     * @param key the key
     * @param step the step, at least 0
     * @param video the bytes; copied
     * @param fps frames per second, recorded when positive
     */
    public void video(String key, long step, byte[] video, double fps) {
        guarded("video", key, () -> {
            queue(key, step, "video", video.length, RunMedia.video(video, fps));
        });
    }

    /**
     * Logs a point cloud: rows of {@code x, y, z} or {@code x, y, z, r, g, b} (colours 0-255),
     * at most 200,000 points.
     *
     * @param key the key
     * @param step the step, at least 0
     * @param points the points; copied
     */
    public void pointCloud(String key, long step, float[][] points) {
        guarded("point_cloud", key, () -> {
            float[][] copy = RunMedia.copy(points);
            queue(key, step, "point_cloud", 24L * copy.length, RunMedia.data("point_cloud", () -> RunMedia.pointCloud(copy)));
        });
    }

    /**
     * Logs a computation graph (at step 0).
     *
     * @param key the key, such as {@code model}
     * @param graph the graph
     */
    public void graph(String key, Graph graph) {
        guarded("graph", key, () -> {
            queue(key, 0, "graph", 64L * (graph.nodes().size() + graph.edges().size()),
                    RunMedia.data("graph", graph::toData));
        });
    }

    /**
     * Logs a confusion matrix; with a TrainLog-file destination it is also written beside the log
     * in the TrainLog codec's format ({@link ConfusionMatrix#write(java.nio.file.Path, ConfusionMatrix)}).
     *
     * @param key the key, such as {@code val/cm}
     * @param step the step, at least 0
     * @param matrix square counts, row = true class; copied
     * @param labels one label per class, or {@code null}
     */
    public void confusionMatrix(String key, long step, long[][] matrix, java.util.List<String> labels) {
        ConfusionMatrix m;
        try {
            m = ConfusionMatrix.of(matrix, labels);
        } catch (IllegalArgumentException | NullPointerException e) {
            engine.runs().refuseMedia("invalid confusion matrix", "confusion matrix '" + key + "': " + e.getMessage());
            return;
        }
        RunTrainLogFile file = trainLogFile;
        if (file != null) {
            file.confusionMatrix(key, step, m.toJson());
        }
        queue(key, step, "confusion_matrix", 8L * m.size() * m.size(),
                RunMedia.data("confusion_matrix", () -> RunMedia.confusion(m)));
    }

    /**
     * Logs a table: named columns and rows of JSON-compatible values, at most 10,000 rows.
     *
     * @param key the key
     * @param step the step, at least 0
     * @param columns the column names
     * @param rows the rows, each with one value per column; copied
     */
    public void table(String key, long step, java.util.List<String> columns, java.util.List<java.util.List<Object>> rows) {
        guarded("table", key, () -> {
            java.util.List<String> cols = java.util.List.copyOf(columns);
            java.util.List<java.util.List<Object>> copy = new java.util.ArrayList<>();
            for (java.util.List<Object> r : rows) {
                copy.add(new java.util.ArrayList<>(r));
            }
            queue(key, step, "table", 32L * copy.size() * Math.max(1, cols.size()),
                    RunMedia.data("table", () -> RunMedia.table(cols, copy)));
        });
    }

    private static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        int n = key.length();
        if (n == 0 || n > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Run[" + state.id + ", " + state.spec.name() + ", " + status + "]";
    }
}
