package dev.stepwise.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import dev.stepwise.client.internal.Json;
import dev.stepwise.client.internal.ReadClient;
import dev.stepwise.client.internal.Settings;

/**
 * Reads back what a project stores: its runs, one run, a run's summary, the full raw history of a
 * metric key, and deletes runs. The seed tracker's {@code get_all_runs}, {@code get_run},
 * {@code summary}, {@code get_records} and {@code delete_run}. Obtained with {@link Stepwise#api()}.
 *
 * <pre>{@code
 * StepwiseApi api = stepwise.api();
 * for (RunInfo run : api.runs(RunQuery.builder().status(RunStatus.FINISHED).build())) {
 *     List<MetricPoint> loss = api.history(run.id(), "train/loss");
 * }
 * }</pre>
 *
 * <p>Every call is synchronous (it blocks on the network, unlike {@link Run#log}); transient failures
 * (I/O errors, 408, 429, 5xx) are retried with the client's {@link RetryPolicy}, other answers
 * throw {@link StepwiseApiException} at once. Lists come back complete: pages are followed
 * underneath. Reads see what the server has stored, not points still queued in this client
 * (call {@link Stepwise#flush(java.time.Duration)} first). Thread-safe.
 */
public final class StepwiseApi {

    /** Points fetched per request by {@link #history(UUID, String)}: the server's default page. */
    public static final int DEFAULT_HISTORY_PAGE = 10_000;

    private final ReadClient http;
    private final String project;

    StepwiseApi(Settings settings) {
        this.http = new ReadClient(settings);
        this.project = settings.project();
    }

    /** @return the project slug every call reads */
    public String project() {
        return project;
    }

    /**
     * Lists every run of the project, newest first.
     *
     * @return all runs, without summaries
     * @throws StepwiseApiException when the server refuses or cannot be reached
     */
    public List<RunInfo> runs() {
        return runs(RunQuery.all());
    }

    /**
     * Lists every run matching the query, following every page of {@code GET /runs}.
     *
     * @param query filters and sort
     * @return the matching runs in the query's order, without summaries
     * @throws StepwiseApiException when the server refuses (for example 400 for a bad filter) or cannot be reached
     */
    public List<RunInfo> runs(RunQuery query) {
        Objects.requireNonNull(query, "query");
        List<RunInfo> result = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, List<String>> params = new LinkedHashMap<>();
            params.put("status", query.statuses());
            params.put("group", Collections.singletonList(query.group()));
            params.put("tag", query.tags());
            params.put("q", Collections.singletonList(query.text()));
            params.put("filter", query.filters());
            params.put("sort", Collections.singletonList(query.sort()));
            params.put("limit", List.of(Integer.toString(query.pageSize())));
            params.put("cursor", Collections.singletonList(cursor));
            Map<String, Object> page = object(get(runsPath() + ReadClient.query(params)));
            for (Object run : list(page.get("runs"))) {
                result.add(runInfo(object(run)));
            }
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return result;
    }

    /**
     * Reads one run with its per-key summary.
     *
     * @param id the run id
     * @return the run
     * @throws StepwiseApiException with status 404 when the project has no such run
     */
    public RunInfo run(UUID id) {
        return runInfo(object(get(runPath(id))));
    }

    /**
     * Reads the statistics of every metric key of a run ({@code GET /runs/{id}/summary}).
     *
     * @param id the run id
     * @return metric key to statistics, ordered by key
     * @throws StepwiseApiException with status 404 when the project has no such run
     */
    public Map<String, MetricSummary> summary(UUID id) {
        return summaries(object(get(runPath(id) + "/summary")));
    }

    /**
     * Reads every raw point of one key of a run in step order (then upload order), nothing
     * downsampled, fetching {@value #DEFAULT_HISTORY_PAGE} points per request.
     *
     * @param id the run id
     * @param key the metric key
     * @return the points; empty when the run never logged the key
     * @throws StepwiseApiException with status 404 when the project has no such run
     */
    public List<MetricPoint> history(UUID id, String key) {
        return history(id, key, DEFAULT_HISTORY_PAGE);
    }

    /**
     * Reads every raw point of one key of a run, fetching {@code pageSize} points per request.
     *
     * @param id the run id
     * @param key the metric key
     * @param pageSize 1 to 100,000 points per request
     * @return the points in step order (then upload order)
     * @throws StepwiseApiException with status 404 when the project has no such run
     */
    public List<MetricPoint> history(UUID id, String key, int pageSize) {
        Objects.requireNonNull(key, "key");
        if (pageSize < 1 || pageSize > 100_000) {
            throw new IllegalArgumentException("pageSize must be in 1..100000, was " + pageSize);
        }
        List<MetricPoint> points = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, List<String>> params = new LinkedHashMap<>();
            params.put("key", List.of(key));
            params.put("limit", List.of(Integer.toString(pageSize)));
            params.put("cursor", Collections.singletonList(cursor));
            Map<String, Object> page = object(get(runPath(id) + "/points" + ReadClient.query(params)));
            Map<String, Object> columns = object(page.get("points"));
            List<Object> steps = list(columns.get("step"));
            List<Object> values = list(columns.get("value"));
            List<Object> epochs = list(columns.get("epoch"));
            List<Object> times = list(columns.get("time"));
            for (int i = 0; i < steps.size(); i++) {
                Object epoch = epochs.get(i);
                points.add(new MetricPoint(((Number) steps.get(i)).longValue(),
                        Json.toDouble(values.get(i), "points.value[" + i + "]"),
                        epoch == null ? -1 : ((Number) epoch).longValue(), instant(times.get(i))));
            }
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return points;
    }

    /**
     * Deletes a run and all its data.
     *
     * @param id the run id
     * @throws StepwiseApiException with status 404 when the project has no such run, 403 for a read-only key
     */
    public void deleteRun(UUID id) {
        try {
            http.delete(runPath(id));
        } catch (ReadClient.Failure e) {
            throw new StepwiseApiException(e.status(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepwiseApiException(0, "interrupted while deleting run " + id);
        }
    }

    @Override
    public String toString() {
        return "StepwiseApi[project=" + project + "]";
    }

    private String runsPath() {
        return "/projects/" + ReadClient.encode(project) + "/runs";
    }

    private String runPath(UUID id) {
        return runsPath() + "/" + Objects.requireNonNull(id, "id");
    }

    private Object get(String path) {
        try {
            return http.get(path);
        } catch (ReadClient.Failure e) {
            throw new StepwiseApiException(e.status(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepwiseApiException(0, "interrupted while reading " + path);
        }
    }

    private static RunInfo runInfo(Map<String, Object> r) {
        List<String> tags = new ArrayList<>();
        for (Object t : list(r.get("tags"))) {
            tags.add((String) t);
        }
        Object config = r.get("config");
        Object summary = r.get("summary");
        return new RunInfo(UUID.fromString((String) r.get("id")), (String) r.get("project"), (String) r.get("name"),
                (String) r.get("group"), List.copyOf(tags),
                config == null ? Map.of() : Collections.unmodifiableMap(object(config)), (String) r.get("notes"),
                RunStatus.parse((String) r.get("status")), instant(r.get("createdAt")), instant(r.get("startedAt")),
                instant(r.get("endedAt")), instant(r.get("heartbeatAt")), (String) r.get("createdBy"),
                summary == null ? Map.of() : summaries(object(summary)));
    }

    private static Map<String, MetricSummary> summaries(Map<String, Object> byKey) {
        Map<String, MetricSummary> result = new LinkedHashMap<>();
        byKey.forEach((key, value) -> {
            Map<String, Object> s = object(value);
            result.put(key, new MetricSummary(number(s.get("min")), number(s.get("max")), number(s.get("mean")),
                    number(s.get("std")), number(s.get("last")), ((Number) s.get("n")).longValue(),
                    ((Number) s.get("first_step")).longValue(), ((Number) s.get("last_step")).longValue()));
        });
        return Collections.unmodifiableMap(result);
    }

    private static double number(Object v) {
        return v == null ? Double.NaN : Json.toDouble(v, "summary");
    }

    private static Instant instant(Object v) {
        return v == null ? null : Instant.parse((String) v);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v) {
        if (!(v instanceof Map)) {
            throw new StepwiseApiException(0, "unexpected answer from the server: expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object v) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List)) {
            throw new StepwiseApiException(0, "unexpected answer from the server: expected a JSON array");
        }
        return (List<Object>) v;
    }
}
