package dev.stepwise.client.internal;

import dev.stepwise.client.RunSpec;
import dev.stepwise.client.TrainLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.JsonGenerator;

/**
 * The spool's file format, on its own: each entry is a TrainLog JSON document (so any TrainLog
 * reader opens it) plus a top-level {@code "stepwise"} object with what exact replay needs — the
 * kind, project, run id, batch id and every point in columns (key, step, value, epoch, time; a
 * logged NaN is a real point there, unlike the TrainLog view's {@code "NaN"} placeholders) or the
 * request body of a run event. Writing and reading are pure; files are {@link Spool}'s business.
 * Not API: may change without notice.
 */
public final class SpoolCodec {

    /** Writes the fields of one entry's top-level object. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g);
    }

    private SpoolCodec() {}

    /** The body of a metrics entry. */
    static Body metrics(String project, UUID runId, String runName, String batchId, List<Point> points) {
        TrainLog view = trainLogView(project, runId, runName, batchId, points);
        return g -> {
            TrainLogFields.write(view, g);
            g.writeName("stepwise");
            g.writeStartObject();
            header(g, Spool.KIND_METRICS, project, runId);
            g.writeName("batchId");
            g.writeString(batchId);
            writeColumns(g, points);
            g.writeEndObject();
        };
    }

    /** The body of a run-creation entry. */
    static Body run(String project, UUID runId, RunSpec spec) {
        Map<String, Object> body = createBody(runId, spec);
        TrainLog.Builder view = eventView(project, runId, spec.name());
        if (spec.group() != null) {
            view.note("group=" + spec.group());
        }
        if (!spec.tags().isEmpty()) {
            view.note("tags=" + String.join(",", spec.tags()));
        }
        spec.config().forEach((k, v) -> view.note(TrainLog.configNote(k, v)));
        return event(Spool.KIND_RUN, project, runId, view.build(), body);
    }

    /** The body of a status entry. */
    static Body status(String project, UUID runId, String runName, String status) {
        TrainLog.Builder view = eventView(project, runId, runName).note("status=" + status);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        return event(Spool.KIND_STATUS, project, runId, view.build(), body);
    }

    /** The body of a config entry. */
    static Body config(String project, UUID runId, String runName, Map<String, Object> config) {
        TrainLog.Builder view = eventView(project, runId, runName);
        config.forEach((k, v) -> view.note(TrainLog.configNote(k, v)));
        return event(Spool.KIND_CONFIG, project, runId, view.build(), Map.of("config", config));
    }

    /** The body of an artifact entry. */
    static Body artifact(String project, UUID runId, String runName, Map<String, Object> artifact) {
        TrainLog.Builder view = eventView(project, runId, runName);
        view.note(TrainLog.artifactNote(String.valueOf(artifact.get("name")), String.valueOf(artifact.get("uri")),
                (String) artifact.get("kind"), (String) artifact.get("description")));
        return event(Spool.KIND_ARTIFACT, project, runId, view.build(), artifact);
    }

    /** The body of a rich-item entry; a text item's text also becomes a note of the TrainLog view. */
    static Body media(String project, UUID runId, String runName, String batchId, MediaItem item) {
        TrainLog.Builder view = eventView(project, runId, runName).note("batch_id=" + batchId)
                .note("media=" + item.type() + " key=" + item.key() + " step=" + item.step());
        if ("text".equals(item.type())) {
            view.note(item.key() + "=" + item.data().get("text"));
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("item", item.toRequest());
        payload.put("contentType", item.contentType());
        TrainLog v = view.build();
        return g -> {
            TrainLogFields.write(v, g);
            g.writeName("stepwise");
            g.writeStartObject();
            header(g, Spool.KIND_MEDIA, project, runId);
            g.writeName("batchId");
            g.writeString(batchId);
            g.writeName("payload");
            Json.write(g, payload);
            g.writeEndObject();
        };
    }

    /**
     * Builds the body of a create-run request.
     *
     * @param runId the run id
     * @param spec the spec
     * @return {@code {id, name?, group?, tags, config, notes?}}
     */
    public static Map<String, Object> createBody(UUID runId, RunSpec spec) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", runId.toString());
        if (spec.name() != null) {
            body.put("name", spec.name());
        }
        if (spec.group() != null) {
            body.put("group", spec.group());
        }
        body.put("tags", spec.tags());
        body.put("config", spec.config());
        if (spec.notes() != null) {
            body.put("notes", spec.notes());
        }
        return body;
    }

    private static Body event(String kind, String project, UUID runId, TrainLog view, Map<String, Object> payload) {
        return g -> {
            TrainLogFields.write(view, g);
            g.writeName("stepwise");
            g.writeStartObject();
            header(g, kind, project, runId);
            g.writeName("payload");
            Json.write(g, payload);
            g.writeEndObject();
        };
    }

    private static TrainLog.Builder eventView(String project, UUID runId, String runName) {
        TrainLog.Builder view = TrainLog.builder().title(runName != null ? runName : runId.toString());
        metaNotes(view, project, runId, runName);
        return view;
    }

    private static void metaNotes(TrainLog.Builder view, String project, UUID runId, String runName) {
        view.note("project=" + project);
        view.note("run_id=" + runId);
        if (runName != null) {
            view.note("run_name=" + runName);
        }
    }

    private static void header(JsonGenerator g, String kind, String project, UUID runId) {
        g.writeName("format");
        g.writeNumber(Spool.FORMAT);
        g.writeName("kind");
        g.writeString(kind);
        g.writeName("project");
        g.writeString(project);
        g.writeName("runId");
        g.writeString(runId.toString());
    }

    private static void writeColumns(JsonGenerator g, List<Point> points) {
        Map<String, Integer> keyIndex = new LinkedHashMap<>();
        for (Point p : points) {
            keyIndex.putIfAbsent(p.key, keyIndex.size());
        }
        g.writeName("keys");
        g.writeStartArray();
        for (String k : keyIndex.keySet()) {
            g.writeString(k);
        }
        g.writeEndArray();
        g.writeName("points");
        g.writeStartObject();
        g.writeName("key");
        g.writeStartArray();
        for (Point p : points) {
            g.writeNumber(keyIndex.get(p.key));
        }
        g.writeEndArray();
        g.writeName("step");
        g.writeStartArray();
        for (Point p : points) {
            g.writeNumber(p.step);
        }
        g.writeEndArray();
        g.writeName("value");
        g.writeStartArray();
        for (Point p : points) {
            Json.writeDouble(g, p.value);
        }
        g.writeEndArray();
        g.writeName("epoch");
        g.writeStartArray();
        for (Point p : points) {
            if (p.epoch >= 0) {
                g.writeNumber(p.epoch);
            } else {
                g.writeNull();
            }
        }
        g.writeEndArray();
        g.writeName("time");
        g.writeStartArray();
        for (Point p : points) {
            g.writeNumber(p.timeMillis);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Builds the TrainLog view of points: one series per key over the sorted distinct steps,
     * {@code NaN} where a key has no point at a step, the last point winning on repeats.
     *
     * @param project project slug
     * @param runId run id
     * @param runName run name, or {@code null}
     * @param batchId batch id, or {@code null}
     * @param points the points
     * @return the TrainLog
     */
    public static TrainLog trainLogView(String project, UUID runId, String runName, String batchId,
                                        List<Point> points) {
        TrainLog.Builder b = TrainLog.builder().title(runName != null ? runName : runId.toString());
        for (Point p : points) {
            b.point(p.key, p.step, p.value);
        }
        metaNotes(b, project, runId, runName);
        if (batchId != null) {
            b.note("batch_id=" + batchId);
        }
        return b.build();
    }

    /**
     * Reads one spooled entry.
     *
     * @param file the file
     * @return the entry
     * @throws IOException when the file is unreadable or not a Stepwise spool entry
     */
    @SuppressWarnings("unchecked")
    public static Spool.Entry read(Path file) throws IOException {
        Map<String, Object> root = Json.readObject(Files.readAllBytes(file));
        Object sw = root.get("stepwise");
        if (!(sw instanceof Map)) {
            throw new IOException(file + ": not a Stepwise spool entry (no 'stepwise' object)");
        }
        Map<String, Object> m = (Map<String, Object>) sw;
        try {
            String kind = (String) m.get("kind");
            String project = (String) m.get("project");
            UUID runId = UUID.fromString((String) m.get("runId"));
            if (Spool.KIND_METRICS.equals(kind)) {
                return new Spool.Entry(file, kind, project, runId, (String) m.get("batchId"), readColumns(m), Map.of());
            }
            Object payload = m.get("payload");
            return new Spool.Entry(file, kind, project, runId, (String) m.get("batchId"), List.of(),
                    payload instanceof Map ? (Map<String, Object>) payload : new HashMap<>());
        } catch (RuntimeException e) {
            throw new IOException(file + ": malformed Stepwise spool entry: " + e, e);
        }
    }

    /**
     * Reads the rich item of a media entry back, with its blob bytes.
     *
     * @param entry a {@link Spool#KIND_MEDIA} entry
     * @return the item
     * @throws java.io.UncheckedIOException when the blob file cannot be read
     */
    @SuppressWarnings("unchecked")
    public static MediaItem mediaItem(Spool.Entry entry) {
        Map<String, Object> item = (Map<String, Object>) entry.payload().get("item");
        String contentType = (String) entry.payload().get("contentType");
        byte[] blob = null;
        if (item.get("blob") != null) {
            try {
                blob = java.nio.file.Files.readAllBytes(SpoolDirectory.blobFile(entry.file()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return MediaItem.fromRequest(item, contentType, blob);
    }

    private static List<Point> readColumns(Map<String, Object> m) {
        List<?> keys = (List<?>) m.get("keys");
        Map<?, ?> cols = (Map<?, ?>) m.get("points");
        List<?> key = (List<?>) cols.get("key");
        List<?> step = (List<?>) cols.get("step");
        List<?> value = (List<?>) cols.get("value");
        List<?> epoch = (List<?>) cols.get("epoch");
        List<?> time = (List<?>) cols.get("time");
        int n = key.size();
        if (step.size() != n || value.size() != n || epoch.size() != n || time.size() != n) {
            throw new IllegalArgumentException("point columns differ in length");
        }
        List<Point> points = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object e = epoch.get(i);
            points.add(new Point(null, (String) keys.get(((Number) key.get(i)).intValue()),
                    ((Number) step.get(i)).longValue(), Json.toDouble(value.get(i), "value[" + i + "]"),
                    e == null ? -1 : ((Number) e).longValue(), ((Number) time.get(i)).longValue()));
        }
        return points;
    }
}
