package dev.stepwise.client.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.stepwise.client.LogSink;
import dev.stepwise.client.TrainLog;

/**
 * A {@link LogSink} that keeps scalars in memory and rewrites a TrainLog JSON file on flush:
 * one series per key over all steps, {@code "NaN"} where a key has no value; texts and config
 * become notes. Not API: may change without notice.
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
        texts.forEach(notes::put);
    }

    @Override
    public void config(Map<String, Object> config) {
        config.forEach((k, v) -> notes.put("config." + k,
                v instanceof String ? (String) v : new String(Json.toBytes(v), StandardCharsets.UTF_8)));
    }

    @Override
    public void flush() {
        TreeSet<Long> steps = new TreeSet<>();
        series.values().forEach(m -> steps.addAll(m.keySet()));
        TrainLog.Builder b = TrainLog.builder().title(title).steps(steps.stream().mapToLong(Long::longValue).toArray());
        series.forEach((k, m) -> b.series(TrainLog.Series.create(k,
                steps.stream().mapToDouble(s -> m.getOrDefault(s, Double.NaN)).toArray())));
        notes.forEach((k, v) -> b.note(k + "=" + v));
        try {
            Path abs = file.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp");
            Files.write(tmp, b.build().toJson());
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write TrainLog " + file, e);
        }
    }
}
