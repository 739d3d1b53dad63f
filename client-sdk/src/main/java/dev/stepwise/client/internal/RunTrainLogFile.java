package dev.stepwise.client.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.stepwise.client.RunSpec;
import dev.stepwise.client.TrainLog;

/**
 * One run recorded for a TrainLog file destination ({@code STEPWISE_MODE=path.json}): points are
 * kept in memory (the last value of a key and step wins) and the file is written atomically when
 * the run ends, with the run's metadata as notes ({@code project}, {@code run_name}, {@code run_id},
 * {@code group}, {@code tags}, {@code config.*}, {@code artifact.*}, {@code status}), in the layout
 * {@code stepwise-cli import trainlog} reads back. Not API: may change without notice. Thread-safe.
 */
public final class RunTrainLogFile {

    private final Path file;
    private final String project;
    private final UUID id;
    private final RunSpec spec;
    private final Map<String, TreeMap<Long, Double>> series = new LinkedHashMap<>();
    private final List<String> artifacts = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    /**
     * Creates the recorder.
     *
     * @param file the TrainLog file to write
     * @param project the project slug, or {@code null}
     * @param id the run id
     * @param spec the run spec
     */
    public RunTrainLogFile(Path file, String project, UUID id, RunSpec spec) {
        this.file = file;
        this.project = project;
        this.id = id;
        this.spec = spec;
    }

    /**
     * Returns the file of the {@code n}-th run (0-based) of a client: the destination itself for the
     * first, {@code <stem>-<n+1>.json} beside it for later ones.
     *
     * @param destination the configured file
     * @param n how many runs the client started before
     * @return the file
     */
    public static Path fileOfRun(Path destination, int n) {
        if (n == 0) {
            return destination;
        }
        String name = destination.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        return destination.resolveSibling(stem + "-" + (n + 1) + ext);
    }

    /** @return the file this run is written to */
    public Path file() {
        return file;
    }

    /**
     * Records one point.
     *
     * @param key the metric key
     * @param step the step
     * @param value the value
     */
    public synchronized void point(String key, long step, double value) {
        series.computeIfAbsent(key, k -> new TreeMap<>()).put(step, value);
    }

    /**
     * Records a text as a note {@code <key>@<step>=<text>}.
     *
     * @param key the key
     * @param step the step
     * @param text the text
     */
    public synchronized void text(String key, long step, String text) {
        texts.add(key + "@" + step + "=" + text);
    }

    /**
     * Writes a confusion matrix beside the log, {@code <stem>.<key>.<step>.json} in the TrainLog
     * codec's confusion-matrix JSON, and references it as an artifact note.
     *
     * @param key the key ({@code /} becomes {@code _} in the file name)
     * @param step the step
     * @param json the matrix JSON
     */
    public synchronized void confusionMatrix(String key, long step, byte[] json) {
        String name = file.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        Path target = file.resolveSibling(stem + "." + key.replaceAll("[^A-Za-z0-9._-]", "_") + "." + step + ".json");
        try {
            java.nio.file.Files.createDirectories(target.toAbsolutePath().getParent());
            java.nio.file.Files.write(target, json);
            artifacts.add(TrainLog.artifactNote(key, target.getFileName().toString(), "confusion_matrix", "step " + step));
        } catch (IOException e) {
            Warnings.LOG.log(System.Logger.Level.WARNING, "Stepwise could not write confusion matrix " + target, e);
        }
    }

    /**
     * Records an artifact reference.
     *
     * @param name the name
     * @param uri the path or URL
     * @param kind the kind, or {@code null}
     * @param description the description, or {@code null}
     */
    public synchronized void artifact(String name, String uri, String kind, String description) {
        artifacts.add(TrainLog.artifactNote(name, uri, kind, description));
    }

    /**
     * Writes the file atomically (temporary file, then rename).
     *
     * @param status the run's final status
     * @throws IOException when the file cannot be written
     */
    public synchronized void write(String status) throws IOException {
        // A logged NaN is a real point, but a TrainLog cannot tell it from "did not report".
        TrainLog.Builder b = TrainLog.builder().title(spec.name() == null ? TrainLog.DEFAULT_TITLE : spec.name());
        series.forEach((k, m) -> m.forEach((step, v) -> b.point(k, step, v)));
        if (project != null) {
            b.note("project=" + project);
        }
        if (spec.name() != null) {
            b.note("run_name=" + spec.name());
        }
        b.note("run_id=" + id);
        if (spec.group() != null) {
            b.note("group=" + spec.group());
        }
        if (!spec.tags().isEmpty()) {
            b.note("tags=" + String.join(",", spec.tags()));
        }
        spec.config().forEach((k, v) -> b.note(TrainLog.configNote(k, v)));
        artifacts.forEach(b::note);
        texts.forEach(b::note);
        b.note("status=" + status);
        if (spec.notes() != null && !spec.notes().isEmpty()) {
            for (String line : spec.notes().split("\n", -1)) {
                b.note(line);
            }
        }
        b.build().write(file);
    }
}
