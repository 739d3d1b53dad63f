package dev.stepwise.server.mlflow;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.metric.MetricReads;
import dev.stepwise.server.mlflow.MlflowRunSearch.ViewType;
import dev.stepwise.server.run.RunRecord;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** MLflow runs: create, read, update, soft delete and restore, search, and logging params, tags and metrics. */
@RestController
@RequestMapping({"/api/2.0/mlflow", "/ajax-api/2.0/mlflow"})
@Tag(name = "mlflow")
class MlflowRunController {

    private final MlflowTracking tracking;
    private final MlflowRunSearch search;
    private final MetricReads metrics;
    private final MlflowStore store;
    private final JsonMapper json;

    MlflowRunController(MlflowTracking tracking, MlflowRunSearch search, MetricReads metrics, MlflowStore store,
            JsonMapper json) {
        this.tracking = tracking;
        this.search = search;
        this.metrics = metrics;
        this.store = store;
        this.json = json;
    }

    @RequestMapping(path = "/runs/create", method = RequestMethod.POST)
    @Operation(summary = "MLflow CreateRun in experiment `experiment_id`; `mlflow.runName`/`mlflow.note.content` tags "
            + "become the run's name and notes")
    Map<String, Object> create(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        RunRecord run = tracking.createRun(request.required("experiment_id"), request.string("run_name"),
                request.objects("tags"));
        return Map.of("run", view(run));
    }

    @RequestMapping(path = "/runs/get", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "MLflow GetRun by `run_id` (or `run_uuid`)")
    Map<String, Object> get(HttpServletRequest http) {
        return Map.of("run", view(tracking.run(MlflowRequest.read(http, json).runId(), Permission.READ).run()));
    }

    @RequestMapping(path = "/runs/update", method = RequestMethod.POST)
    @Operation(summary = "MLflow UpdateRun: `status` and `run_name` (the end time is the server's)")
    Map<String, Object> update(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        RunRecord run = tracking.updateRun(request.runId(), request.string("status"), request.string("run_name"));
        return Map.of("run_info", MlflowViews.info(run, false));
    }

    @RequestMapping(path = "/runs/delete", method = RequestMethod.POST)
    @Operation(summary = "MLflow DeleteRun: marks the run deleted for the MLflow API; its data stays (restore brings it back)")
    Map<String, Object> delete(HttpServletRequest http) {
        tracking.setDeleted(MlflowRequest.read(http, json).runId(), true);
        return Map.of();
    }

    @RequestMapping(path = "/runs/restore", method = RequestMethod.POST)
    @Operation(summary = "MLflow RestoreRun")
    Map<String, Object> restore(HttpServletRequest http) {
        tracking.setDeleted(MlflowRequest.read(http, json).runId(), false);
        return Map.of();
    }

    @RequestMapping(path = "/runs/search", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "MLflow SearchRuns: `filter` (metrics., params., tags., attributes.; = != < <= > >= LIKE ILIKE "
            + "IN NOT IN; AND), `order_by`, `max_results` (default 1000, at most 50,000), `page_token`, `run_view_type`")
    Map<String, Object> search(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        List<String> experimentIds = request.strings("experiment_ids");
        int max = request.limit("max_results", MlflowLimits.DEFAULT_SEARCH_RESULTS, MlflowLimits.MAX_SEARCH_RESULTS);
        MlflowRunSearch.Result result = search.search(experimentIds, request.string("filter"),
                viewType(request.string("run_view_type")), max, request.strings("order_by"),
                request.string("page_token"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", result.runs().stream()
                .map(f -> MlflowViews.run(f.run(), f.latest(), f.deleted(), f.longTags())).toList());
        if (result.nextPageToken() != null) {
            body.put("next_page_token", result.nextPageToken());
        }
        return body;
    }

    @RequestMapping(path = "/runs/log-metric", method = RequestMethod.POST)
    @Operation(summary = "MLflow LogMetric `{run_id, key, value, timestamp, step}`; value may be \"NaN\"/\"Infinity\"")
    Map<String, Object> logMetric(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        UUID id = request.runId();
        tracking.logBatch(id, List.of(tracking.metric(request)), Map.of(), List.of());
        return Map.of();
    }

    @RequestMapping(path = "/runs/log-parameter", method = RequestMethod.POST)
    @Operation(summary = "MLflow LogParam: a config entry, write-once (the same value again is fine)")
    Map<String, Object> logParameter(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        UUID id = request.runId();
        tracking.logBatch(id, List.of(), params(List.of(request)), List.of());
        return Map.of();
    }

    @RequestMapping(path = "/runs/set-tag", method = RequestMethod.POST)
    @Operation(summary = "MLflow SetTag: a `key=value` run tag (last write wins)")
    Map<String, Object> setTag(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        UUID id = request.runId();
        tracking.logBatch(id, List.of(), Map.of(), MlflowTracking.parseTags(List.of(request)));
        return Map.of();
    }

    @RequestMapping(path = "/runs/delete-tag", method = RequestMethod.POST)
    @Operation(summary = "MLflow DeleteTag")
    Map<String, Object> deleteTag(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        UUID id = request.runId();
        tracking.deleteTag(id, request.required("key"));
        return Map.of();
    }

    @RequestMapping(path = "/runs/log-batch", method = RequestMethod.POST)
    @Operation(summary = "MLflow LogBatch: at most 1000 metrics, 100 params, 100 tags (1000 entities); all-or-nothing")
    Map<String, Object> logBatch(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        UUID id = request.runId();
        List<MlflowRequest> metricList = request.objects("metrics");
        List<MlflowRequest> paramList = request.objects("params");
        List<MlflowRequest> tagList = request.objects("tags");
        MlflowLimits.batch(metricList.size(), paramList.size(), tagList.size());
        List<MlflowTracking.Metric> parsed = new ArrayList<>(metricList.size());
        for (MlflowRequest m : metricList) {
            parsed.add(tracking.metric(m));
        }
        tracking.logBatch(id, parsed, params(paramList), MlflowTracking.parseTags(tagList));
        return Map.of();
    }

    private static Map<String, String> params(List<MlflowRequest> list) {
        Map<String, String> params = new LinkedHashMap<>();
        for (MlflowRequest p : list) {
            String key = MlflowLimits.key("param", p.string("key"));
            String value = MlflowLimits.paramValue(key, p.string("value"));
            String before = params.put(key, value);
            if (before != null && !before.equals(value)) {
                throw MlflowException.invalid("Duplicate parameter keys have been submitted: param '" + key
                        + "' has the values '" + before + "' and '" + value + "' in one request");
            }
        }
        return params;
    }

    private Map<String, Object> view(RunRecord run) {
        boolean deleted = !store.deletedRuns(List.of(run.id())).isEmpty();
        return MlflowViews.run(run, metrics.latest(List.of(run.id())).getOrDefault(run.id(), List.of()), deleted,
                store.longTags(run.id()));
    }

    private static ViewType viewType(String value) {
        if (value == null || value.isEmpty()) {
            return ViewType.ACTIVE_ONLY;
        }
        try {
            return ViewType.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MlflowException.invalid("Invalid run_view_type '" + value + "'; use ACTIVE_ONLY, DELETED_ONLY or ALL");
        }
    }
}
