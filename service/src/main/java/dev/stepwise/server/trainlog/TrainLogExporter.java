package dev.stepwise.server.trainlog;

import dev.stepwise.server.artifact.ArtifactRecord;
import dev.stepwise.server.artifact.ArtifactService;
import dev.stepwise.server.metric.MetricReads;
import dev.stepwise.server.run.RunRecord;
import dev.stepwise.server.run.RunService;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a run as TrainLog JSON, streaming: the series aligned on the union of their steps with
 * {@code "NaN"} where a key did not report, run metadata and artifacts as {@code key=value} notes,
 * and what an import kept (title, a non-UUID run id, series order and colours) given back.
 */
@Service
class TrainLogExporter {

    static final String DEFAULT_TITLE = "Training";
    static final String DEFAULT_COLOR = "#0a7";

    private final RunService runs;
    private final MetricReads metrics;
    private final ArtifactService artifacts;
    private final TrainLogPresentation presentation;
    private final JsonMapper json;

    TrainLogExporter(RunService runs, MetricReads metrics, ArtifactService artifacts,
            TrainLogPresentation presentation, JsonMapper json) {
        this.runs = runs;
        this.metrics = metrics;
        this.artifacts = artifacts;
        this.presentation = presentation;
        this.json = json;
    }

    /** One key's points with duplicate steps collapsed to the last uploaded value. */
    private static final class Column {
        final String name;
        long[] steps = new long[64];
        double[] values = new double[64];
        int size;

        Column(String name) {
            this.name = name;
        }

        void add(long step, double value) {
            if (size > 0 && steps[size - 1] == step) {
                values[size - 1] = value;
                return;
            }
            if (size == steps.length) {
                steps = Arrays.copyOf(steps, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            steps[size] = step;
            values[size++] = value;
        }
    }

    /**
     * Writes the run as TrainLog JSON: series aligned on the union of steps, "NaN" where a key did
     * not report. A run imported from a TrainLog gets the file's title, run id, series order and
     * colours back; other series follow in key order with the default colour.
     */
    @Transactional(readOnly = true)
    public void export(long projectId, UUID runId, OutputStream out) {
        RunRecord run = runs.get(projectId, runId);
        List<ArtifactRecord> runArtifacts = artifacts.list(projectId, runId);
        Map<String, TrainLogPresentation.SeriesLook> looks = presentation.series(runId);
        TrainLogPresentation.RunLook look = presentation.run(runId)
                .orElse(new TrainLogPresentation.RunLook(null, null));
        List<Column> columns = new ArrayList<>();
        metrics.scanPoints(runId, (key, step, value) -> {
            if (columns.isEmpty() || !columns.get(columns.size() - 1).name.equals(key)) {
                columns.add(new Column(key));
            }
            columns.get(columns.size() - 1).add(step, value);
        });
        Set<String> withPoints = new HashSet<>();
        columns.forEach(c -> withPoints.add(c.name));
        // A series of the file that never reported a value still has its place.
        looks.keySet().stream().filter(k -> !withPoints.contains(k)).forEach(k -> columns.add(new Column(k)));
        columns.sort(Comparator.comparingInt((Column c) -> looks.containsKey(c.name) ? looks.get(c.name).position()
                : Integer.MAX_VALUE).thenComparing(c -> c.name));
        long[] steps = unionOfSteps(columns);
        String title = look.title() != null ? look.title()
                : run.name() == null || run.name().isBlank() ? DEFAULT_TITLE : run.name();
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("title", title);
            g.writeArrayPropertyStart("steps");
            for (long step : steps) {
                g.writeNumber(step);
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("series");
            for (Column column : columns) {
                g.writeStartObject();
                g.writeStringProperty("name", column.name);
                g.writeArrayPropertyStart("values");
                int j = 0;
                for (long step : steps) {
                    if (j < column.size && column.steps[j] == step) {
                        writeValue(g, column.values[j++]);
                    } else {
                        g.writeString("NaN");
                    }
                }
                g.writeEndArray();
                g.writeStringProperty("color", looks.containsKey(column.name) ? looks.get(column.name).color()
                        : DEFAULT_COLOR);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("notes");
            for (String note : notes(run, look.sourceRunId(), runArtifacts)) {
                g.writeString(note);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static long[] unionOfSteps(List<Column> columns) {
        long[] all = new long[columns.stream().mapToInt(c -> c.size).sum()];
        int k = 0;
        for (Column c : columns) {
            System.arraycopy(c.steps, 0, all, k, c.size);
            k += c.size;
        }
        Arrays.sort(all);
        int unique = 0;
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i] != all[i - 1]) {
                all[unique++] = all[i];
            }
        }
        return Arrays.copyOf(all, unique);
    }

    private static void writeValue(JsonGenerator g, double v) {
        if (Double.isNaN(v)) {
            g.writeString("NaN");
        } else if (Double.isInfinite(v)) {
            g.writeString(v > 0 ? "Infinity" : "-Infinity");
        } else {
            g.writeNumber(v);
        }
    }

    private List<String> notes(RunRecord run, String sourceRunId, List<ArtifactRecord> runArtifacts) {
        List<String> notes = new ArrayList<>();
        notes.add("project=" + run.project());
        if (run.name() != null) {
            notes.add("run_name=" + run.name());
        }
        notes.add("run_id=" + (sourceRunId != null ? sourceRunId : run.id()));
        if (run.group() != null) {
            notes.add("group=" + run.group());
        }
        if (!run.tags().isEmpty()) {
            notes.add("tags=" + String.join(",", run.tags()));
        }
        run.config().forEach((key, value) -> notes.add("config." + key + "="
                + (value.isString() ? value.asString() : json.writeValueAsString(value))));
        for (ArtifactRecord a : runArtifacts) {
            notes.add("artifact." + a.name() + "=" + a.uri() + " kind=" + a.kind()
                    + (a.description() == null || a.description().isBlank() ? "" : " desc=" + a.description()));
        }
        notes.add("status=" + run.status());
        if (run.notes() != null && !run.notes().isEmpty()) {
            // Free-form notes, one line each, as the import joined them.
            notes.addAll(Arrays.asList(run.notes().split("\n", -1)));
        }
        return notes;
    }
}
