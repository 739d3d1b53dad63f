package dev.stepwise.server.mlflow;

import dev.stepwise.server.artifact.ArtifactRecord;
import dev.stepwise.server.artifact.ArtifactService;
import dev.stepwise.server.access.Permission;
import dev.stepwise.server.metric.MetricReads;
import dev.stepwise.server.metric.MetricReads.RawPoint;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** MLflow metric histories (paged, bulk by step interval) and artifact listings from artifact references. */
@RestController
@RequestMapping({"/api/2.0/mlflow", "/ajax-api/2.0/mlflow"})
@Tag(name = "mlflow")
class MlflowMetricController {

    static final int MAX_HISTORY_PAGE = 100_000;
    static final int MAX_BULK_RUNS = 100;
    static final int MAX_BULK_RESULTS = 2500;
    static final int DEFAULT_BULK_RESULTS = 320;

    private final MlflowTracking tracking;
    private final MetricReads metrics;
    private final ArtifactService artifacts;
    private final JsonMapper json;

    MlflowMetricController(MlflowTracking tracking, MetricReads metrics, ArtifactService artifacts, JsonMapper json) {
        this.tracking = tracking;
        this.metrics = metrics;
        this.artifacts = artifacts;
        this.json = json;
    }

    @RequestMapping(path = "/metrics/get-history", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "MLflow GetMetricHistory: every point of `metric_key`, or pages with `max_results`/`page_token`")
    Map<String, Object> history(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        UUID id = request.runId();
        String key = request.required("metric_key");
        boolean paged = request.longValue("max_results") != null || request.string("page_token") != null;
        int max = request.limit("max_results", MAX_HISTORY_PAGE, MAX_HISTORY_PAGE);
        long offset = MlflowRunSearch.offset(request.string("page_token"));
        tracking.run(id, Permission.READ);
        List<Map<String, Object>> points = new ArrayList<>();
        Map<String, Object> body = new LinkedHashMap<>();
        while (true) {
            List<RawPoint> page = metrics.points(id, key, null, null, offset, max + 1);
            page.stream().limit(max).forEach(p -> points.add(MlflowViews.metric(key, p.value(), p.timeMillis(), p.step())));
            if (page.size() <= max) {
                break;
            }
            offset += max;
            if (paged) {
                body.put("next_page_token", MlflowRunSearch.token(offset));
                break;
            }
        }
        body.put("metrics", points);
        return body;
    }

    @RequestMapping(path = "/metrics/get-history-bulk-interval", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "MLflow GetMetricHistoryBulkInterval: up to `max_results` evenly spaced steps per run "
            + "(first and last included) of `metric_key` for up to 100 `run_ids`")
    Map<String, Object> bulkInterval(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        List<String> runIds = request.strings("run_ids");
        if (runIds.isEmpty() || runIds.size() > MAX_BULK_RUNS) {
            throw MlflowException.invalid("'run_ids' must name between 1 and " + MAX_BULK_RUNS + " runs");
        }
        String key = request.required("metric_key");
        Long start = request.longValue("start_step");
        Long end = request.longValue("end_step");
        if ((start == null) != (end == null) || (start != null && start > end)) {
            throw MlflowException.invalid("'start_step' and 'end_step' go together and start_step <= end_step");
        }
        int max = request.limit("max_results", DEFAULT_BULK_RESULTS, MAX_BULK_RESULTS);
        List<Map<String, Object>> result = new ArrayList<>();
        for (String runId : new LinkedHashSet<>(runIds)) {
            UUID id = MlflowRequest.parseRunId(runId);
            tracking.run(id, Permission.READ);
            List<RawPoint> points = metrics.points(id, key, start, end, 0, Integer.MAX_VALUE);
            Set<Long> steps = sampledSteps(points, max);
            for (RawPoint p : points) {
                if (steps.contains(p.step())) {
                    Map<String, Object> m = MlflowViews.metric(key, p.value(), p.timeMillis(), p.step());
                    m.put("run_id", id.toString());
                    result.add(m);
                }
            }
        }
        return Map.of("metrics", result);
    }

    /** At most {@code max} of the distinct steps, evenly spaced, always with the first and the last. */
    static Set<Long> sampledSteps(List<RawPoint> points, int max) {
        TreeSet<Long> distinct = new TreeSet<>();
        points.forEach(p -> distinct.add(p.step()));
        if (distinct.size() <= max) {
            return distinct;
        }
        List<Long> all = new ArrayList<>(distinct);
        Set<Long> chosen = new TreeSet<>();
        for (int i = 0; i < max; i++) {
            chosen.add(all.get((int) Math.round((double) i * (all.size() - 1) / Math.max(1, max - 1))));
        }
        return chosen;
    }

    @RequestMapping(path = "/artifacts/list", method = {RequestMethod.GET, RequestMethod.POST})
    @Operation(summary = "MLflow ListArtifacts from the run's artifact references (names as paths, '/' as separator)")
    Map<String, Object> artifacts(HttpServletRequest http) {
        MlflowRequest request = MlflowRequest.read(http, json);
        UUID id = request.runId();
        String path = request.string("path");
        String prefix = path == null || path.isEmpty() || path.equals("/") ? ""
                : path.replaceAll("^/+|/+$", "") + "/";
        long projectId = tracking.run(id, Permission.READ).projectId();
        Map<String, Map<String, Object>> entries = new TreeMap<>();
        for (ArtifactRecord a : artifacts.list(projectId, id)) {
            String name = a.name();
            if (!name.startsWith(prefix) || name.length() == prefix.length()) {
                continue;
            }
            String rest = name.substring(prefix.length());
            int slash = rest.indexOf('/');
            Map<String, Object> file = new LinkedHashMap<>();
            if (slash >= 0) {
                file.put("path", prefix + rest.substring(0, slash));
                file.put("is_dir", true);
            } else {
                file.put("path", name);
                file.put("is_dir", false);
                if (a.sizeBytes() != null) {
                    file.put("file_size", a.sizeBytes());
                }
            }
            entries.putIfAbsent((String) file.get("path"), file);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("root_uri", "");
        body.put("files", List.copyOf(entries.values()));
        return body;
    }

    @Hidden
    @RequestMapping(path = "/**")
    Map<String, Object> unknown(HttpServletRequest http) {
        throw new MlflowException(MlflowException.Code.ENDPOINT_NOT_FOUND,
                "No MLflow endpoint " + http.getMethod() + " " + http.getRequestURI() + " here");
    }
}
