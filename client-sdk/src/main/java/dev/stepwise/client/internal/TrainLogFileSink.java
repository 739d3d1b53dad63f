package dev.stepwise.client.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.stepwise.client.LogSink;
import dev.stepwise.client.ConfusionMatrix;
import dev.stepwise.client.TrainLog;

/**
 * A {@link LogSink} that keeps scalars in memory and rewrites a TrainLog JSON file on flush:
 * one series per key over all steps, {@code "NaN"} where a key has no value; texts and config
 * become notes; each confusion matrix is written beside the file in the TrainLog codec's format
 * and referenced by an artifact note. Not API: may change without notice.
 */
public final class TrainLogFileSink implements LogSink {
    private final Path file;
    private final String title;
    private final Map<String, TreeMap<Long, Double>> series = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();

    /**
     * Creates the sink.
     *
     * @param file the TrainLog file
     * @param title the title
     */
    public TrainLogFileSink(Path file, String title) {
        this.file = file;
        this.title = title == null ? TrainLog.DEFAULT_TITLE : title;
    }

    @Override
    public void write(String namespace, long step, Map<String, Double> scalars, Map<String, String> texts) {
        scalars.forEach((k, v) -> series.computeIfAbsent(k, x -> new TreeMap<>()).put(step, v));
        texts.forEach((k, v) -> notes.put(k, k + "=" + v));
    }

    @Override
    public void confusionMatrix(String key, long step, java.util.function.Supplier<ConfusionMatrix> matrix) {
        String name = file.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        Path target = file.resolveSibling(stem + "." + key.replaceAll("[^A-Za-z0-9._-]", "_") + "." + step + ".json");
        try {
            ConfusionMatrix.write(target, matrix.get());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write confusion matrix " + target, e);
        }
        notes.put("artifact." + key + "@" + step, TrainLog.artifactNote(key, target.getFileName().toString(),
                "confusion_matrix", "step " + step));
    }

    @Override
    public void config(Map<String, Object> config) {
        config.forEach((k, v) -> notes.put("config." + k, TrainLog.configNote(k, v)));
    }

    @Override
    public void flush() {
        TrainLog.Builder b = TrainLog.builder().title(title);
        series.forEach((k, m) -> m.forEach((step, v) -> b.point(k, step, v)));
        notes.forEach((k, v) -> b.note(v));
        try {
            b.build().write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write TrainLog " + file, e);
        }
    }
}
