package dev.stepwise.client;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import dev.stepwise.client.internal.ConsoleSink;
import dev.stepwise.client.internal.TrainLogFileSink;

/**
 * A destination of a {@link MetricsLogger}: receives the values of one namespace at one step.
 * Scalars and texts arrive computed; rich values (images, audio, video, histograms, point clouds,
 * confusion matrices) arrive as suppliers that compute the value on first {@code get()} — shared
 * by every sink and computed at most once, and never when no sink asks. Implement the methods you
 * need; the others do nothing, so a sink ignores what it does not implement. Keys are full
 * ({@code namespace/key}).
 *
 * <p>Implementations are called under the logger's lock, one call at a time.
 */
public interface LogSink extends AutoCloseable {

    /**
     * Writes the values of one namespace at one step.
     *
     * @param namespace the namespace, such as {@code train}
     * @param step the step
     * @param scalars full key ({@code namespace/key}) to value
     * @param texts full key to text
     */
    void write(String namespace, long step, Map<String, Double> scalars, Map<String, String> texts);

    /**
     * Writes a normalized image {@code [C][H][W]}, values in [0, 1], C = 1, 3 or 4. Default: ignored.
     *
     * @param key the full key
     * @param step the step
     * @param chw computes the image
     */
    default void image(String key, long step, java.util.function.Supplier<float[][][]> chw) {
    }

    /**
     * Writes mono audio, samples in [-1, 1]. Default: ignored.
     *
     * @param key the full key
     * @param step the step
     * @param samples computes the samples
     * @param sampleRate samples per second
     */
    default void audio(String key, long step, java.util.function.Supplier<float[]> samples, int sampleRate) {
    }

    /**
     * Writes an encoded video (MP4, WebM or GIF bytes). Default: ignored.
     *
     * @param key the full key
     * @param step the step
     * @param video computes the bytes
     * @param fps frames per second
     */
    default void video(String key, long step, java.util.function.Supplier<byte[]> video, double fps) {
    }

    /**
     * Writes a histogram of values. Default: ignored.
     *
     * @param key the full key
     * @param step the step
     * @param values computes the values
     */
    default void histogram(String key, long step, java.util.function.Supplier<double[]> values) {
    }

    /**
     * Writes a point cloud of {@code x, y, z[, r, g, b]} rows. Default: ignored.
     *
     * @param key the full key
     * @param step the step
     * @param points computes the points
     */
    default void pointCloud(String key, long step, java.util.function.Supplier<float[][]> points) {
    }

    /**
     * Writes a confusion matrix. Default: ignored.
     *
     * @param key the full key
     * @param step the step
     * @param matrix computes the matrix
     */
    default void confusionMatrix(String key, long step, java.util.function.Supplier<ConfusionMatrix> matrix) {
    }

    /**
     * Records run configuration, once.
     *
     * @param config key to JSON-compatible value
     */
    default void config(Map<String, Object> config) {
    }

    /** Makes everything written so far durable or visible. */
    default void flush() {
    }

    /** Flushes and releases the sink. */
    @Override
    default void close() {
        flush();
    }

    /**
     * Returns a sink that logs everything to a Stepwise run: scalars with {@link Run#log},
     * texts with {@link Run#text}, every rich kind with the run's method of that kind, and config
     * merged with {@link Run#config(Map)}.
     *
     * @param run the run
     * @return the sink
     */
    static LogSink run(Run run) {
        return new LogSink() {
            @Override
            public void write(String namespace, long step, Map<String, Double> scalars, Map<String, String> texts) {
                scalars.forEach((k, v) -> run.log(k, v, step));
                texts.forEach((k, v) -> run.text(k, step, v));
            }

            @Override
            public void image(String key, long step, java.util.function.Supplier<float[][][]> chw) {
                run.image(key, step, chw.get());
            }

            @Override
            public void audio(String key, long step, java.util.function.Supplier<float[]> samples, int sampleRate) {
                run.audio(key, step, samples.get(), sampleRate);
            }

            @Override
            public void video(String key, long step, java.util.function.Supplier<byte[]> video, double fps) {
                run.video(key, step, video.get(), fps);
            }

            @Override
            public void histogram(String key, long step, java.util.function.Supplier<double[]> values) {
                run.histogram(key, step, values.get());
            }

            @Override
            public void pointCloud(String key, long step, java.util.function.Supplier<float[][]> points) {
                run.pointCloud(key, step, points.get());
            }

            @Override
            public void confusionMatrix(String key, long step, java.util.function.Supplier<ConfusionMatrix> m) {
                ConfusionMatrix cm = m.get();
                run.confusionMatrix(key, step, cm.counts(), cm.labels());
            }

            @Override
            public void config(Map<String, Object> config) {
                run.config(config);
            }
        };
    }

    /**
     * Returns a sink that keeps every scalar and writes a TrainLog JSON file (atomically) on
     * {@link #flush()} and {@link #close()}; texts ({@code key=text}) and config
     * ({@code config.key=value}) become notes, and each confusion matrix is written beside the log
     * as {@code <stem>.<key>.<step>.json} in {@link ConfusionMatrix}'s format and referenced by an
     * {@code artifact.} note. Other rich kinds are ignored (and never computed).
     *
     * @param file the TrainLog file
     * @param title the log title
     * @return the sink
     */
    static LogSink trainLogFile(Path file, String title) {
        return new TrainLogFileSink(file, title);
    }

    /**
     * Returns a sink that prints one line per namespace and step.
     *
     * @param out where to print, such as {@code System.out}
     * @return the sink
     */
    static LogSink console(PrintStream out) {
        return new ConsoleSink(out);
    }
}
