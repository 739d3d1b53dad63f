package dev.stepwise.server.trainlog;

import dev.stepwise.server.artifact.ArtifactService;
import dev.stepwise.server.metric.MetricIngestService;
import dev.stepwise.server.metric.MetricIngestService.NewPoint;
import dev.stepwise.server.metric.MetricReads;
import dev.stepwise.server.run.RunRecord;
import dev.stepwise.server.run.RunService;
import dev.stepwise.server.run.RunStatus;
import dev.stepwise.server.web.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports TrainLog files as runs (exports are {@link TrainLogExporter}'s): one run per file, the
 * same run again for the same {@code run_id}, only new points stored on a re-import.
 */
@Service
public class TrainLogService {

    private final RunService runs;
    private final MetricReads metrics;
    private final MetricIngestService ingest;
    private final ArtifactService artifacts;
    private final TrainLogPresentation presentation;
    private final JsonMapper json;

    TrainLogService(RunService runs, MetricReads metrics, MetricIngestService ingest, ArtifactService artifacts,
            TrainLogPresentation presentation, JsonMapper json) {
        this.runs = runs;
        this.metrics = metrics;
        this.ingest = ingest;
        this.artifacts = artifacts;
        this.presentation = presentation;
        this.json = json;
    }

    /** An imported run and whether the import created it (false: the run existed and was resumed). */
    public record Imported(RunRecord run, boolean created) {}

    /**
     * Imports a TrainLog as a run of the project, atomically. {@code "NaN"} placeholders are not
     * stored; a file with a {@code run_id} note maps to the same run every time, and importing it
     * again stores only the points the run does not hold yet (a log that has grown adds its new
     * steps). The title, a non-UUID run id, series order and colours are kept for export.
     */
    @Transactional
    public Imported importTrainLog(long projectId, String slug, JsonNode body, String createdBy) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "a TrainLog must be a JSON object");
        }
        JsonNode title = body.get("title");
        if (title != null && !title.isNull() && !title.isString()) {
            throw ProblemException.invalid("title", "must be a string");
        }
        List<String> noteList = new ArrayList<>();
        JsonNode notes = body.get("notes");
        if (notes != null && !notes.isNull()) {
            if (!notes.isArray()) {
                throw ProblemException.invalid("notes", "must be an array of strings");
            }
            for (int i = 0; i < notes.size(); i++) {
                if (!notes.get(i).isString()) {
                    throw ProblemException.invalid("notes[" + i + "]", "must be a string");
                }
                noteList.add(notes.get(i).asString());
            }
        }
        long[] steps = steps(body.get("steps"));
        Map<String, TrainLogPresentation.SeriesLook> looks = new LinkedHashMap<>();
        List<NewPoint> points = points(body.get("series"), steps, looks);
        TrainLogNotes meta = TrainLogNotes.parse(noteList);

        String name = meta.runName() != null ? meta.runName()
                : title != null && title.isString() && !title.asString().equals(TrainLogExporter.DEFAULT_TITLE) ? title.asString() : null;
        Map<String, JsonNode> config = new LinkedHashMap<>();
        meta.config().forEach((k, v) -> config.put(k, configValue(v)));
        String otherNotes = meta.other().isEmpty() ? null : String.join("\n", meta.other());
        UUID requestedId = runId(slug, meta.runId());
        if (requestedId != null && runs.usedByAnotherProject(projectId, requestedId)) {
            // A run exported from another project becomes a copy here, with an id stable across re-imports.
            requestedId = derivedId(slug, requestedId.toString());
        }
        RunService.Created created = runs.create(projectId,
                new RunService.NewRun(requestedId, name, meta.group(), meta.tags(), config, otherNotes), createdBy);
        UUID id = created.run().id();
        List<NewPoint> fresh = created.created() ? points : notYetStored(id, points);
        if (!fresh.isEmpty()) {
            ingest.ingest(projectId, id, "trainlog-" + digest(body), fresh);
        }
        Set<String> present = new HashSet<>();
        if (!created.created()) {
            artifacts.list(projectId, id).forEach(a -> present.add(a.name() + "\n" + a.uri()));
        }
        for (TrainLogNotes.ArtifactNote a : meta.artifacts()) {
            if (present.add(a.name() + "\n" + a.uri())) {
                artifacts.add(projectId, id, new ArtifactService.NewArtifact(null, a.name(), a.uri(), a.kind(),
                        a.description(), null, null));
            }
        }
        // A title that export derives anyway (the name, or the default) is not kept: a renamed run
        // then exports its new name.
        String fileTitle = title != null && title.isString() ? title.asString() : null;
        String derivedTitle = name == null || name.isBlank() ? TrainLogExporter.DEFAULT_TITLE : name;
        presentation.saveRun(id, new TrainLogPresentation.RunLook(derivedTitle.equals(fileTitle) ? null : fileTitle,
                isUuid(meta.runId()) ? null : meta.runId()));
        presentation.saveSeries(id, looks);
        RunStatus status = status(meta.status());
        runs.update(projectId, id, new RunService.RunChanges(null, null, null, status, null, null));
        return new Imported(runs.get(projectId, id), created.created());
    }

    private static long[] steps(JsonNode steps) {
        if (steps == null || steps.isNull()) {
            return null;
        }
        if (!steps.isArray()) {
            throw ProblemException.invalid("steps", "must be an array of integers");
        }
        if (steps.isEmpty()) {
            return null;
        }
        long[] result = new long[steps.size()];
        for (int i = 0; i < result.length; i++) {
            JsonNode s = steps.get(i);
            if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
                throw ProblemException.invalid("steps[" + i + "]", "must be an integer >= 0");
            }
            result[i] = s.asLong();
        }
        return result;
    }

    /**
     * The points of a re-imported file that the run does not hold yet: for each key and step, as
     * many of the file's points are skipped as the run already stores, so a grown log adds only
     * its new points and an unchanged one adds nothing.
     */
    private List<NewPoint> notYetStored(UUID runId, List<NewPoint> points) {
        Map<String, Map<Long, Integer>> stored = new HashMap<>();
        metrics.scanPoints(runId, (key, step, value) -> stored.computeIfAbsent(key, k -> new HashMap<>())
                .merge(step, 1, Integer::sum));
        List<NewPoint> fresh = new ArrayList<>();
        for (NewPoint p : points) {
            Map<Long, Integer> steps = stored.get(p.key());
            Integer left = steps == null ? null : steps.get(p.step());
            if (left == null || left == 0) {
                fresh.add(p);
            } else {
                steps.put(p.step(), left - 1);
            }
        }
        return fresh;
    }

    private static boolean isUuid(String noted) {
        if (noted == null || noted.isBlank()) {
            return true;
        }
        try {
            UUID.fromString(noted);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<NewPoint> points(JsonNode series, long[] steps,
            Map<String, TrainLogPresentation.SeriesLook> looks) {
        List<NewPoint> points = new ArrayList<>();
        if (series == null || series.isNull()) {
            return points;
        }
        if (!series.isArray()) {
            throw ProblemException.invalid("series", "must be an array of {name, values}");
        }
        for (int i = 0; i < series.size(); i++) {
            JsonNode s = series.get(i);
            String at = "series[" + i + "]";
            if (!s.isObject()) {
                throw ProblemException.invalid(at, "must be an object {name, values, color?}");
            }
            JsonNode name = s.get("name");
            if (name == null || !name.isString() || name.asString().isEmpty() || name.asString().length() > 250) {
                throw ProblemException.invalid(at + ".name", "is required: a string of 1 to 250 characters");
            }
            JsonNode values = s.get("values");
            if (values == null || !values.isArray()) {
                throw ProblemException.invalid(at + ".values", "is required: an array of numbers or \"NaN\"");
            }
            JsonNode color = s.get("color");
            if (color != null && !color.isNull() && (!color.isString() || color.asString().length() > 64)) {
                throw ProblemException.invalid(at + ".color", "must be a string of at most 64 characters");
            }
            looks.putIfAbsent(name.asString(), new TrainLogPresentation.SeriesLook(i,
                    color == null || color.isNull() || color.asString().isEmpty() ? TrainLogExporter.DEFAULT_COLOR : color.asString()));
            if (steps != null && values.size() != steps.length) {
                throw ProblemException.invalid(at + ".values", "has " + values.size() + " values but steps has "
                        + steps.length);
            }
            for (int j = 0; j < values.size(); j++) {
                JsonNode v = values.get(j);
                double value;
                if (v.isNumber()) {
                    value = v.asDouble();
                } else if (v.isString() && (v.asString().equals("Infinity") || v.asString().equals("-Infinity"))) {
                    value = v.asString().equals("Infinity") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
                } else if (v.isString() && v.asString().equals("NaN")) {
                    continue; // a placeholder: the series did not report at this step
                } else {
                    throw ProblemException.invalid(at + ".values[" + j + "]",
                            "must be a number or \"NaN\", \"Infinity\", \"-Infinity\"");
                }
                points.add(new NewPoint(name.asString(), steps == null ? j : steps[j], value, null, null));
            }
        }
        return points;
    }

    private JsonNode configValue(String raw) {
        try {
            JsonNode parsed = json.readTree(raw);
            if (parsed != null && !parsed.isMissingNode() && !parsed.isNull()) {
                return parsed;
            }
        } catch (RuntimeException notJson) {
            // a plain string such as "adam"
        }
        return json.getNodeFactory().stringNode(raw);
    }

    private static UUID runId(String slug, String noted) {
        if (noted == null || noted.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(noted);
        } catch (IllegalArgumentException e) {
            // A non-UUID id from another tool maps to the same run on every import.
            return derivedId(slug, noted);
        }
    }

    private static UUID derivedId(String slug, String noted) {
        return UUID.nameUUIDFromBytes(("trainlog:" + slug + ":" + noted).getBytes(StandardCharsets.UTF_8));
    }

    private static RunStatus status(String noted) {
        if (noted != null) {
            try {
                return RunStatus.parseIgnoringCase(noted);
            } catch (IllegalArgumentException ignored) {
                // unknown words from other tools: an imported log is a finished run
            }
        }
        return RunStatus.FINISHED;
    }

    private String digest(JsonNode body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(json.writeValueAsBytes(body))).substring(0, 40);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
