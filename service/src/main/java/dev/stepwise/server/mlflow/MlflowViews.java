package dev.stepwise.server.mlflow;

import dev.stepwise.server.metric.MetricReads.LatestPoint;
import dev.stepwise.server.project.ProjectService.ProjectInfo;
import dev.stepwise.server.run.RunRecord;
import dev.stepwise.server.run.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * MLflow's JSON shapes of Stepwise data: a run as {@code {info, data, inputs}}, an experiment,
 * metrics with non-finite values as "NaN"/"Infinity"/"-Infinity", and the tag mapping between
 * MLflow's {@code key/value} tags and Stepwise's {@code key=value} run tags.
 */
final class MlflowViews {

    static final String RUN_NAME = "mlflow.runName";
    static final String NOTE = "mlflow.note.content";
    static final String USER = "mlflow.user";

    private MlflowViews() {}

    static Map<String, Object> experiment(ProjectInfo p, Map<String, String> tags, boolean deleted) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("experiment_id", p.slug());
        e.put("name", p.name());
        e.put("artifact_location", "");
        e.put("lifecycle_stage", deleted ? "deleted" : "active");
        e.put("creation_time", p.createdAt().toEpochMilli());
        e.put("last_update_time", p.createdAt().toEpochMilli());
        List<Map<String, Object>> tagList = new ArrayList<>();
        if (p.description() != null && !p.description().isEmpty() && !tags.containsKey(NOTE)) {
            tagList.add(keyValue(NOTE, p.description()));
        }
        tags.forEach((k, v) -> tagList.add(keyValue(k, v)));
        e.put("tags", tagList);
        return e;
    }

    static Map<String, Object> run(RunRecord r, List<LatestPoint> latest, boolean deleted,
            Map<String, String> longTags) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("info", info(r, deleted));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("metrics", latest.stream().map(p -> metric(p.key(), p.value(), p.timeMillis(), p.step())).toList());
        data.put("params", params(r).entrySet().stream().map(e -> keyValue(e.getKey(), e.getValue())).toList());
        Map<String, String> tags = tags(r);
        tags.putAll(longTags);
        data.put("tags", tags.entrySet().stream().map(e -> keyValue(e.getKey(), e.getValue())).toList());
        run.put("data", data);
        run.put("inputs", Map.of());
        return run;
    }

    static Map<String, Object> info(RunRecord r, boolean deleted) {
        Map<String, Object> info = new LinkedHashMap<>();
        String id = r.id().toString();
        info.put("run_id", id);
        info.put("run_uuid", id);
        info.put("run_name", r.name() == null ? "" : r.name());
        info.put("experiment_id", r.project());
        info.put("user_id", r.createdBy() == null ? "" : r.createdBy());
        info.put("status", status(r.status()));
        info.put("start_time", millis(r.startedAt() != null ? r.startedAt() : r.createdAt()));
        if (r.endedAt() != null) {
            info.put("end_time", r.endedAt().toEpochMilli());
        }
        info.put("artifact_uri", "");
        info.put("lifecycle_stage", deleted ? "deleted" : "active");
        return info;
    }

    /** MLflow has no CRASHED: a run the server gave up on is FAILED there. */
    static String status(RunStatus status) {
        return status == RunStatus.CRASHED ? "FAILED" : status.name();
    }

    static Map<String, Object> metric(String key, double value, long timestamp, long step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", key);
        m.put("value", value(value));
        m.put("timestamp", timestamp);
        m.put("step", step);
        return m;
    }

    static Object value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        return v;
    }

    static Map<String, Object> keyValue(String key, String value) {
        Map<String, Object> kv = new LinkedHashMap<>();
        kv.put("key", key);
        kv.put("value", value);
        return kv;
    }

    /** Config entries as MLflow params: strings as they are, other JSON values as their JSON text. */
    static Map<String, String> params(RunRecord r) {
        Map<String, String> params = new TreeMap<>();
        r.config().forEach((k, v) -> params.put(k, paramText(v)));
        return params;
    }

    static String paramText(JsonNode v) {
        return v.isString() ? v.asString() : v.toString();
    }

    /** MLflow tags of a run: its {@code key=value} run tags plus run name, notes and user as mlflow.* tags. */
    static Map<String, String> tags(RunRecord r) {
        Map<String, String> tags = new TreeMap<>();
        for (String tag : r.tags()) {
            int eq = tag.indexOf('=');
            tags.put(eq < 0 ? tag : tag.substring(0, eq), eq < 0 ? "" : tag.substring(eq + 1));
        }
        if (r.name() != null) {
            tags.put(RUN_NAME, r.name());
        }
        if (r.notes() != null && !r.notes().isEmpty()) {
            tags.put(NOTE, r.notes());
        }
        if (r.createdBy() != null) {
            tags.put(USER, r.createdBy());
        }
        return tags;
    }

    /** The run tag that holds MLflow tag {@code key}: {@code key=value}. */
    static String nativeTag(String key, String value) {
        return key + "=" + value;
    }

    /** True when run tag {@code tag} holds MLflow tag {@code key}. */
    static boolean holds(String tag, String key) {
        return tag.equals(key) || tag.startsWith(key + "=");
    }

    private static long millis(Instant instant) {
        return instant == null ? 0 : instant.toEpochMilli();
    }
}
