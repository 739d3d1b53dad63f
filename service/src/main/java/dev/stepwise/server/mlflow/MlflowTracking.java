package dev.stepwise.server.mlflow;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.access.ProjectAccess.Granted;
import dev.stepwise.server.metric.MetricIngestService;
import dev.stepwise.server.metric.MetricIngestService.NewPoint;
import dev.stepwise.server.project.ProjectService;
import dev.stepwise.server.project.ProjectService.ProjectInfo;
import dev.stepwise.server.run.RunRecord;
import dev.stepwise.server.run.RunService;
import dev.stepwise.server.run.RunService.RunChanges;
import dev.stepwise.server.run.RunStatus;
import dev.stepwise.server.web.ProblemException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Runs and their data through MLflow's eyes: finds a run and checks the caller's access to its
 * project (a run of a project the caller cannot see does not exist), and logs params, tags and
 * metrics all-or-nothing through the run and metric services.
 */
@Service
class MlflowTracking {

    /** A run the caller was granted access to. */
    record RunAccess(Granted granted, RunRecord run) {
        long projectId() {
            return granted.projectId();
        }
    }

    /** One metric of a log request. */
    record Metric(String key, double value, long timestamp, long step) {}

    private final ProjectAccess access;
    private final ProjectService projects;
    private final RunService runs;
    private final MetricIngestService ingest;
    private final MlflowStore store;
    private final Clock clock;

    MlflowTracking(ProjectAccess access, ProjectService projects, RunService runs, MetricIngestService ingest,
            MlflowStore store, Clock clock) {
        this.access = access;
        this.projects = projects;
        this.runs = runs;
        this.ingest = ingest;
        this.store = store;
        this.clock = clock;
    }

    /** The experiment (project) {@code experimentId} with {@code permission} granted, else RESOURCE_DOES_NOT_EXIST. */
    Granted experiment(String experimentId, Permission permission) {
        if (experimentId == null || experimentId.isEmpty()) {
            throw MlflowException.invalid("Missing value for required parameter 'experiment_id'");
        }
        try {
            return access.require(experimentId, permission);
        } catch (ProblemException e) {
            if (e.getStatusCode().value() == 404) {
                throw MlflowException.notFound("No Experiment with id=" + experimentId + " exists");
            }
            throw e;
        }
    }

    @Transactional(readOnly = true)
    public RunAccess run(UUID id, Permission permission) {
        ProjectInfo project = runs.projectOf(id).flatMap(projects::findById).orElseThrow(() -> runNotFound(id));
        Granted granted;
        try {
            granted = access.require(project.slug(), permission);
        } catch (ProblemException e) {
            if (e.getStatusCode().value() == 404) {
                throw runNotFound(id);
            }
            throw e;
        }
        RunRecord run = runs.get(granted.projectId(), id);
        if (permission == Permission.WRITE && !store.deletedRuns(List.of(id)).isEmpty()) {
            throw MlflowException.invalid("The run " + id + " must be in the 'active' state. Current state is deleted.");
        }
        return new RunAccess(granted, run);
    }

    @Transactional
    public RunRecord createRun(String experimentId, String runName, List<MlflowRequest> tags) {
        Granted granted = experiment(experimentId, Permission.WRITE);
        if (store.experimentDeleted(granted.projectId())) {
            throw MlflowException.invalid("The experiment " + experimentId + " must be in the 'active' state");
        }
        TagChanges changes = tagChanges(List.of(), parseTags(tags));
        String name = runName != null && !runName.isEmpty() ? runName : changes.name;
        checkName(name);
        RunRecord run = runs.create(granted.projectId(), new RunService.NewRun(null, name, null, changes.tags, null,
                changes.notes), granted.principal().describe()).run();
        changes.longTags.forEach((k, v) -> store.setLongTag(run.id(), k, v));
        return run;
    }

    @Transactional
    public RunRecord updateRun(UUID id, String status, String runName) {
        RunAccess run = run(id, Permission.WRITE);
        RunStatus next = status == null || status.isEmpty() ? null : status(status);
        checkName(runName);
        return runs.update(run.projectId(), id, new RunChanges(runName == null || runName.isEmpty() ? null : runName,
                null, null, next, null, null));
    }

    @Transactional
    public void setDeleted(UUID id, boolean deleted) {
        RunAccess run = run(id, Permission.READ);
        // Deleting and restoring are writes; the READ lookup above lets a deleted run be restored.
        access.require(run.granted().project().slug(), Permission.WRITE);
        store.markRunDeleted(id, deleted);
    }

    /** Logs a batch all-or-nothing: params (write-once), tags (last write wins), then metrics. */
    @Transactional
    public void logBatch(UUID id, List<Metric> metrics, Map<String, String> params, List<String[]> tags) {
        MlflowLimits.batch(metrics.size(), params.size(), tags.size());
        RunAccess access = run(id, Permission.WRITE);
        RunRecord run = lockAndRead(access);
        Map<String, JsonNode> newParams = new LinkedHashMap<>();
        params.forEach((key, value) -> {
            JsonNode existing = run.config().get(key);
            if (existing != null && !MlflowViews.paramText(existing).equals(value)) {
                throw MlflowException.invalid("Changing param values is not allowed. Param with key='" + key
                        + "' was already logged with value='" + MlflowViews.paramText(existing) + "' for run ID='"
                        + id + "'. Attempted logging new value '" + value + "'.");
            }
            if (existing == null) {
                newParams.put(key, JsonNodeFactory.instance.stringNode(value));
            }
        });
        TagChanges changes = tagChanges(run.tags(), tags);
        checkName(changes.name);
        if (!newParams.isEmpty() || changes.any()) {
            runs.update(access.projectId(), id, new RunChanges(changes.name, null, changes.notes, null,
                    changes.tags, newParams.isEmpty() ? null : newParams));
        }
        if (!changes.keys.isEmpty()) {
            // A tag lives in exactly one place: a new value replaces a long one as well as a short one.
            store.deleteLongTags(id, changes.keys);
            changes.longTags.forEach((k, v) -> store.setLongTag(id, k, v));
        }
        if (!metrics.isEmpty()) {
            ingest.ingest(access.projectId(), id, "mlflow:" + UUID.randomUUID(), points(metrics, run, changes));
        }
    }

    @Transactional
    public void deleteTag(UUID id, String key) {
        RunAccess access = run(id, Permission.WRITE);
        RunRecord run = lockAndRead(access);
        if (key.equals(MlflowViews.NOTE)) {
            runs.update(access.projectId(), id, new RunChanges(null, null, "", null, null, null));
            return;
        }
        List<String> kept = run.tags().stream().filter(t -> !MlflowViews.holds(t, key)).toList();
        int removedLong = store.deleteLongTags(id, List.of(key));
        if (kept.size() == run.tags().size() && removedLong == 0) {
            throw MlflowException.notFound("No tag with name: " + key + " in run with id " + id);
        }
        if (kept.size() != run.tags().size()) {
            runs.update(access.projectId(), id, new RunChanges(null, null, null, null, kept, null));
        }
    }

    /**
     * Records the write as run activity, which locks the run's row until commit, and reads the run
     * again: concurrent writers to one run then see each other's params and tags (write-once
     * params and tag merges cannot race).
     */
    private RunRecord lockAndRead(RunAccess access) {
        runs.recordActivity(access.projectId(), access.run().id());
        return runs.get(access.projectId(), access.run().id());
    }

    /** Parses and checks MLflow tags {@code [{key, value}]}. */
    static List<String[]> parseTags(List<MlflowRequest> tags) {
        List<String[]> parsed = new ArrayList<>();
        for (MlflowRequest tag : tags) {
            String key = MlflowLimits.key("tag", tag.string("key"));
            String value = tag.string("value");
            if (value == null) {
                value = "";
            }
            if (!key.equals(MlflowViews.RUN_NAME) && !key.equals(MlflowViews.NOTE) && !key.equals(MlflowViews.USER)) {
                MlflowLimits.tagValue(key, value);
            }
            parsed.add(new String[] {key, value});
        }
        return parsed;
    }

    /**
     * Run name, notes and the full new run tag list after applying MLflow tags (null: unchanged),
     * the ordinary tag keys that were set, and those of them too long for a run tag.
     */
    private record TagChanges(String name, String notes, List<String> tags, Set<String> keys,
            Map<String, String> longTags) {
        boolean any() {
            return name != null || notes != null || tags != null;
        }
    }

    private static TagChanges tagChanges(List<String> current, List<String[]> tags) {
        String name = null;
        String notes = null;
        Map<String, String> ordinary = new LinkedHashMap<>();
        for (String[] tag : tags) {
            switch (tag[0]) {
                case MlflowViews.RUN_NAME -> name = tag[1];
                case MlflowViews.NOTE -> notes = tag[1];
                // The user is whoever authenticated the request; a client cannot claim another one.
                case MlflowViews.USER -> { }
                default -> ordinary.put(tag[0], tag[1]);
            }
        }
        if (notes != null && notes.length() > MlflowLimits.MAX_NOTE_LENGTH) {
            throw MlflowException.invalid("Tag 'mlflow.note.content' may have at most " + MlflowLimits.MAX_NOTE_LENGTH
                    + " characters");
        }
        List<String> next = null;
        Map<String, String> longTags = new LinkedHashMap<>();
        if (!ordinary.isEmpty()) {
            Set<String> merged = new LinkedHashSet<>();
            current.stream().filter(t -> ordinary.keySet().stream().noneMatch(k -> MlflowViews.holds(t, k)))
                    .forEach(merged::add);
            ordinary.forEach((k, v) -> {
                if (MlflowLimits.fitsRunTag(k, v)) {
                    merged.add(MlflowViews.nativeTag(k, v));
                } else {
                    longTags.put(k, v);
                }
            });
            if (merged.size() > 100) {
                throw MlflowException.invalid("A run may have at most 100 tags of up to 100 characters here");
            }
            next = List.copyOf(merged);
        }
        return new TagChanges(name, notes, next, Set.copyOf(ordinary.keySet()), longTags);
    }

    /**
     * Metric points; the epoch of a point is, by convention, the value of an {@code epoch} metric
     * logged at the same step in the same request, or else the run's integer {@code epoch} tag.
     */
    private List<NewPoint> points(List<Metric> metrics, RunRecord run, TagChanges changes) {
        Map<Long, Integer> epochAtStep = new HashMap<>();
        for (Metric m : metrics) {
            if (m.key().equals("epoch") && Double.isFinite(m.value()) && m.value() >= 0 && m.value() <= Integer.MAX_VALUE) {
                epochAtStep.put(m.step(), (int) m.value());
            }
        }
        Integer tagEpoch = epochTag(changes.tags != null ? changes.tags : run.tags());
        List<NewPoint> points = new ArrayList<>(metrics.size());
        for (Metric m : metrics) {
            Integer epoch = epochAtStep.getOrDefault(m.step(), tagEpoch);
            points.add(new NewPoint(m.key(), m.step(), m.value(), epoch, m.timestamp()));
        }
        return points;
    }

    private static Integer epochTag(List<String> tags) {
        for (String tag : tags) {
            if (tag.startsWith("epoch=")) {
                try {
                    int epoch = Integer.parseInt(tag.substring(6).trim());
                    return epoch >= 0 ? epoch : null;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Parses and checks one metric {@code {key, value, timestamp?, step?}}. */
    Metric metric(MlflowRequest m) {
        String key = MlflowLimits.key("metric", m.string("key"));
        double value = MlflowRequest.metricValue(m.node("value"), "value");
        Long timestamp = m.longValue("timestamp");
        Long step = m.longValue("step");
        if (step != null && step < 0) {
            throw MlflowException.invalid("Metric '" + key + "' has step " + step + "; steps here are at least 0");
        }
        return new Metric(key, value, timestamp == null ? clock.millis() : timestamp, step == null ? 0 : step);
    }

    static RunStatus status(String status) {
        return switch (status.toUpperCase(Locale.ROOT)) {
            case "RUNNING", "SCHEDULED" -> RunStatus.RUNNING;
            case "FINISHED" -> RunStatus.FINISHED;
            case "FAILED" -> RunStatus.FAILED;
            case "KILLED" -> RunStatus.KILLED;
            default -> throw MlflowException.invalid("Invalid run status '" + status
                    + "'; use RUNNING, SCHEDULED, FINISHED, FAILED or KILLED");
        };
    }

    private static void checkName(String name) {
        if (name != null && name.length() > MlflowLimits.MAX_RUN_NAME_LENGTH) {
            throw MlflowException.invalid("Run name may have at most " + MlflowLimits.MAX_RUN_NAME_LENGTH + " characters");
        }
    }

    static MlflowException runNotFound(UUID id) {
        return MlflowException.notFound("Run with id=" + id + " not found");
    }
}
