package dev.stepwise.client;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

import dev.stepwise.client.internal.ConsoleSink;
import dev.stepwise.client.internal.TrainLogFileSink;

/**
 * A destination of a {@link MetricsLogger}: receives the values of one namespace at one step,
 * already computed. Implement the methods you need; the others do nothing.
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
     * Returns a sink that logs scalars to a Stepwise run and merges config into it with
     * {@link Run#config(Map)} (texts are ignored).
     *
     * @param run the run
     * @return the sink
     */
    static LogSink run(Run run) {
        return new LogSink() {
            @Override
            public void write(String namespace, long step, Map<String, Double> scalars, Map<String, String> texts) {
                scalars.forEach((k, v) -> run.log(k, v, step));
            }

            @Override
            public void config(Map<String, Object> config) {
                run.config(config);
            }
        };
    }

    /**
     * Returns a sink that keeps every scalar and writes a TrainLog JSON file (atomically) on
     * {@link #flush()} and {@link #close()}; texts and config become notes.
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
