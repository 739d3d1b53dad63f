package dev.stepwise.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.Api.Auth;
import dev.stepwise.server.support.ApiTest;
import dev.stepwise.server.support.TrackingFixtures;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The MLflow-compatible API over real HTTP: mapping both ways, MLflow's errors and limits, search and paging. */
class MlflowApiTests extends ApiTest {

    static final String M = "/api/2.0/mlflow";

    @Test
    void nativeRunIsReadableThroughMlflowUnderBothPrefixes() {
        String slug = createProject(ADMIN);
        String runId = createRun(slug, Map.of("name", "native", "tags", List.of("baseline", "team=nlp"),
                "config", Map.of("lr", 0.01, "opt", "adam"), "notes", "first try"));
        upload(slug, runId, null, List.of(TrackingFixtures.point("loss", 0, 2.0, 0),
                TrackingFixtures.point("loss", 1, Double.NaN, 0), TrackingFixtures.point("loss", 2, 1.0, 1)));
        String hexId = runId.replace("-", "");
        for (String prefix : List.of(M, "/ajax-api/2.0/mlflow")) {
            Api.Response response = api.get(prefix + "/runs/get?run_id=" + hexId, ADMIN);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            JsonNode run = response.json().get("run");
            assertThat(run.get("info").get("run_id").asString()).isEqualTo(runId);
            assertThat(run.get("info").get("experiment_id").asString()).isEqualTo(slug);
            assertThat(run.get("info").get("status").asString()).isEqualTo("RUNNING");
            assertThat(pairs(run.get("data").get("params"))).isEqualTo(Map.of("lr", "0.01", "opt", "adam"));
            assertThat(pairs(run.get("data").get("tags"))).containsEntry("baseline", "").containsEntry("team", "nlp")
                    .containsEntry("mlflow.runName", "native").containsEntry("mlflow.note.content", "first try")
                    .containsEntry("mlflow.user", "admin");
            JsonNode loss = run.get("data").get("metrics").get(0);
            assertThat(loss.get("step").asLong()).isEqualTo(2);
            assertThat(loss.get("value").asDouble()).isEqualTo(1.0);
            assertThat(loss.get("timestamp").asLong()).isPositive();
        }
        JsonNode history = mlflow("GET", "/metrics/get-history?run_uuid=" + runId + "&metric_key=loss", null).json();
        assertThat(history.get("metrics")).hasSize(3);
        assertThat(history.get("metrics").get(1).get("value").asString()).isEqualTo("NaN");
        JsonNode found = ok("/runs/search", Map.of("experiment_ids", List.of(slug), "filter", "params.lr = '0.01'"));
        assertThat(found.get("runs")).hasSize(1);
    }

    @Test
    void mlflowValuesArriveAsGivenAndUnknownFieldsAreIgnored() {
        String slug = createProject(ADMIN);
        String runId = ok("/runs/create", Map.of("experiment_id", slug, "future_field", List.of(1)))
                .get("run").get("info").get("run_id").asString();
        ok("/runs/log-metric", Map.of("run_uuid", runId, "key", "loss", "value", "-Infinity", "timestamp",
                "1700000000000", "step", "3", "extra", Map.of("a", 1)));
        ok("/runs/log-metric", Map.of("run_id", runId, "key", "loss", "value", "NaN", "timestamp", 1700000001000L,
                "step", 4));
        JsonNode history = ok("/metrics/get-history", Map.of("run_id", runId, "metric_key", "loss")).get("metrics");
        assertThat(history.get(0).get("value").asString()).isEqualTo("-Infinity");
        assertThat(history.get(0).get("timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(history.get(0).get("step").asLong()).isEqualTo(3);
        assertThat(history.get(1).get("value").asString()).isEqualTo("NaN");
    }

    @Test
    void numericExperimentIdsAreAccepted() {
        String slug = String.valueOf(100_000 + (int) (Math.random() * 800_000));
        assertThat(api.post("/api/v1/projects", ADMIN, Map.of("slug", slug, "name", "numeric")).status()).isEqualTo(201);
        Api.Response response = mlflow("POST", "/experiments/get", "{\"experiment_id\": " + slug + "}");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(ok("/runs/create", Map.of("experiment_id", Long.parseLong(slug))).get("run").get("info")
                .get("experiment_id").asString()).isEqualTo(slug);
    }

    @Test
    void paramsAreWriteOnceAndABatchIsAllOrNothing() {
        String runId = mlflowRun(createProject(ADMIN));
        ok("/runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.01"));
        ok("/runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.01"));
        expectError("/runs/log-parameter", Map.of("run_id", runId, "key", "lr", "value", "0.1"), 400,
                "INVALID_PARAMETER_VALUE");
        expectError("/runs/log-batch", Map.of("run_id", runId,
                "metrics", List.of(Map.of("key", "loss", "value", 1, "timestamp", 1, "step", 0)),
                "params", List.of(Map.of("key", "lr", "value", "0.5")),
                "tags", List.of(Map.of("key", "t", "value", "v"))), 400, "INVALID_PARAMETER_VALUE");
        JsonNode run = ok("/runs/get", Map.of("run_id", runId)).get("run");
        assertThat(run.get("data").get("metrics")).isEmpty();
        assertThat(pairs(run.get("data").get("tags"))).doesNotContainKey("t");
    }

    @Test
    void badInputIsAnMlflowErrorAndNeverA500() {
        String runId = mlflowRun(createProject(ADMIN));
        Map<String, Object> metric = Map.of("key", "m", "value", 1, "timestamp", 1, "step", 0);
        List<Object> tooManyMetrics = new ArrayList<>(IntStream.range(0, 1001).mapToObj(i -> (Object) metric).toList());
        List<Object> tooManyParams = IntStream.range(0, 101).mapToObj(i -> (Object) Map.of("key", "p" + i, "value", "v"))
                .toList();
        List<Object> tooManyTags = IntStream.range(0, 101).mapToObj(i -> (Object) Map.of("key", "t" + i, "value", "v"))
                .toList();
        expectError("/runs/log-batch", Map.of("run_id", runId, "metrics", tooManyMetrics), 400, "INVALID_PARAMETER_VALUE");
        expectError("/runs/log-batch", Map.of("run_id", runId, "params", tooManyParams), 400, "INVALID_PARAMETER_VALUE");
        expectError("/runs/log-batch", Map.of("run_id", runId, "tags", tooManyTags), 400, "INVALID_PARAMETER_VALUE");
        expectError("/runs/log-metric", Map.of("run_id", runId, "key", "x".repeat(251), "value", 1), 400,
                "INVALID_PARAMETER_VALUE");
        expectError("/runs/log-metric", Map.of("run_id", runId, "key", "a=b", "value", 1), 400, "INVALID_PARAMETER_VALUE");
        expectError("/runs/log-metric", Map.of("run_id", runId, "key", "m", "value", "abc"), 400, "INVALID_PARAMETER_VALUE");
        expectError("/runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 1, "step", -1), 400,
                "INVALID_PARAMETER_VALUE");
        expectError("/runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 1, "step", "ten"), 400,
                "INVALID_PARAMETER_VALUE");
        expectError("/runs/log-parameter", Map.of("run_id", runId, "key", "p", "value", "v".repeat(6001)), 400,
                "INVALID_PARAMETER_VALUE");
        expectError("/runs/set-tag", Map.of("run_id", runId, "key", "t", "value", "v".repeat(8001)), 400,
                "INVALID_PARAMETER_VALUE");
        expectError("/runs/log-metric", Map.of("key", "m", "value", 1), 400, "INVALID_PARAMETER_VALUE");
        expectError("/runs/get", Map.of("run_id", "no-such-run"), 404, "RESOURCE_DOES_NOT_EXIST");
        expectError("/runs/get", Map.of("run_id", "0".repeat(32)), 404, "RESOURCE_DOES_NOT_EXIST");
        expectError("/runs/delete-tag", Map.of("run_id", runId, "key", "never-set"), 404, "RESOURCE_DOES_NOT_EXIST");
        expectError("/experiments/get", Map.of("experiment_id", "no-such-experiment"), 404, "RESOURCE_DOES_NOT_EXIST");
        expectError("/runs/search", Map.of("experiment_ids", List.of("x"), "max_results", 50_001), 400,
                "INVALID_PARAMETER_VALUE");
        expectError("/runs/unknown-endpoint", Map.of(), 404, "ENDPOINT_NOT_FOUND");
        Api.Response malformed = mlflow("POST", "/runs/log-metric", "{not json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("error_code").asString()).isEqualTo("MALFORMED_REQUEST");
        Api.Response array = mlflow("POST", "/runs/log-batch", "[1, 2]");
        assertThat(array.status()).isEqualTo(400);
    }

    @Test
    void tagsTooLongForARunTagAreKeptBesideTheRun() {
        String slug = createProject(ADMIN);
        String path = "/home/alice/" + "deep/".repeat(60) + "train.py";
        String runId = ok("/runs/create", Map.of("experiment_id", slug, "tags",
                List.of(Map.of("key", "mlflow.source.name", "value", path)))).get("run").get("info").get("run_id")
                .asString();
        assertThat(pairs(ok("/runs/get", Map.of("run_id", runId)).get("run").get("data").get("tags")))
                .containsEntry("mlflow.source.name", path);
        assertThat(runIds(search(slug, "tags.`mlflow.source.name` = '" + path + "'"))).containsExactly(runId);
        ok("/runs/set-tag", Map.of("run_id", runId, "key", "mlflow.source.name", "value", "train.py"));
        assertThat(pairs(ok("/runs/get", Map.of("run_id", runId)).get("run").get("data").get("tags")))
                .containsEntry("mlflow.source.name", "train.py");
        assertThat(api.get(runPath(slug, runId), ADMIN).json().get("tags").get(0).asString())
                .isEqualTo("mlflow.source.name=train.py");
        ok("/runs/set-tag", Map.of("run_id", runId, "key", "mlflow.source.name", "value", path));
        assertThat(api.get(runPath(slug, runId), ADMIN).json().get("tags")).isEmpty();
        ok("/runs/delete-tag", Map.of("run_id", runId, "key", "mlflow.source.name"));
        assertThat(pairs(ok("/runs/get", Map.of("run_id", runId)).get("run").get("data").get("tags")))
                .doesNotContainKey("mlflow.source.name");
    }

    @Test
    void searchFiltersOrdersAndPages() {
        String slug = createProject(ADMIN);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String runId = mlflowRun(slug);
            ids.add(runId);
            ok("/runs/log-batch", Map.of("run_id", runId,
                    "metrics", List.of(Map.of("key", "loss", "value", 3 - i, "timestamp", 1, "step", 0)),
                    "params", List.of(Map.of("key", "opt", "value", i == 1 ? "AdamW" : "sgd")),
                    "tags", List.of(Map.of("key", "group", "value", "g" + (i % 2)))));
        }
        JsonNode first = ok("/runs/search", Map.of("experiment_ids", List.of(slug), "order_by",
                List.of("metrics.loss ASC"), "max_results", 2));
        assertThat(runIds(first)).containsExactly(ids.get(2), ids.get(1));
        JsonNode second = ok("/runs/search", Map.of("experiment_ids", List.of(slug), "order_by",
                List.of("metrics.loss ASC"), "max_results", 2, "page_token", first.get("next_page_token").asString()));
        assertThat(runIds(second)).containsExactly(ids.get(0));
        assertThat(second.has("next_page_token")).isFalse();
        assertThat(runIds(search(slug, "params.opt ILIKE 'adam%'"))).containsExactly(ids.get(1));
        assertThat(runIds(search(slug, "tags.group = 'g0' and metrics.loss >= 1"))).containsExactlyInAnyOrder(ids.get(0),
                ids.get(2));
        assertThat(runIds(search(slug, "tags.group != 'g0'"))).containsExactly(ids.get(1));
        assertThat(runIds(search(slug, "params.opt IN ('sgd') and attributes.status = 'RUNNING'"))).hasSize(2);
        assertThat(runIds(search(slug, "attributes.status = 'FINISHED'"))).isEmpty();
        expectError("/runs/search", Map.of("experiment_ids", List.of(slug), "filter", "metrics.loss > 'x'"), 400,
                "INVALID_PARAMETER_VALUE");
    }

    @Test
    void deletedRunsAreHiddenFromActiveSearchesAndCanBeRestored() {
        String slug = createProject(ADMIN);
        String runId = mlflowRun(slug);
        ok("/runs/delete", Map.of("run_id", runId));
        assertThat(runIds(search(slug, ""))).isEmpty();
        assertThat(runIds(ok("/runs/search", Map.of("experiment_ids", List.of(slug), "run_view_type", "DELETED_ONLY"))))
                .containsExactly(runId);
        assertThat(ok("/runs/get", Map.of("run_id", runId)).get("run").get("info").get("lifecycle_stage").asString())
                .isEqualTo("deleted");
        expectError("/runs/log-metric", Map.of("run_id", runId, "key", "m", "value", 1), 400, "INVALID_PARAMETER_VALUE");
        ok("/runs/restore", Map.of("run_id", runId));
        assertThat(runIds(search(slug, ""))).containsExactly(runId);
    }

    @Test
    void historyPagesAndBulkIntervalSamplesSteps() {
        String runId = mlflowRun(createProject(ADMIN));
        List<Object> metrics = IntStream.range(0, 25)
                .mapToObj(i -> (Object) Map.of("key", "loss", "value", i, "timestamp", 1000 + i, "step", i)).toList();
        ok("/runs/log-batch", Map.of("run_id", runId, "metrics", metrics));
        List<Long> steps = new ArrayList<>();
        String token = null;
        do {
            Map<String, Object> body = new HashMap<>(Map.of("run_id", runId, "metric_key", "loss", "max_results", 10));
            if (token != null) {
                body.put("page_token", token);
            }
            JsonNode page = ok("/metrics/get-history", body);
            page.get("metrics").forEach(m -> steps.add(m.get("step").asLong()));
            token = page.has("next_page_token") ? page.get("next_page_token").asString() : null;
        } while (token != null);
        assertThat(steps).containsExactlyElementsOf(IntStream.range(0, 25).mapToObj(i -> (long) i).toList());
        JsonNode bulk = mlflow("GET", "/metrics/get-history-bulk-interval?run_ids=" + runId
                + "&metric_key=loss&max_results=5", null).json().get("metrics");
        List<Long> sampled = new ArrayList<>();
        bulk.forEach(m -> sampled.add(m.get("step").asLong()));
        assertThat(sampled).hasSize(5).startsWith(0L).endsWith(24L);
        assertThat(bulk.get(0).get("run_id").asString()).isEqualTo(runId);
    }

    @Test
    void anEpochMetricInTheSameBatchGivesPointsTheirEpoch() {
        String slug = createProject(ADMIN);
        String runId = mlflowRun(slug);
        List<Object> metrics = new ArrayList<>();
        for (int step = 0; step < 4; step++) {
            metrics.add(Map.of("key", "epoch", "value", step / 2, "timestamp", 1, "step", step));
            metrics.add(Map.of("key", "train/loss", "value", 10 - step, "timestamp", 1, "step", step));
        }
        ok("/runs/log-batch", Map.of("run_id", runId, "metrics", metrics));
        JsonNode epochs = api.get(runPath(slug, runId) + "/epochs?key=train/loss", ADMIN).json().get("epochs");
        assertThat(epochs).hasSize(2);
        assertThat(epochs.get(0).get("value").asDouble()).isEqualTo(9.5);
        assertThat(epochs.get(1).get("value").asDouble()).isEqualTo(7.5);
    }

    @Test
    void experimentsMapToProjects() {
        String name = "Vision " + Api.unique("x");
        var owner = createUser("exp");
        String id = ok(owner, "/experiments/create", Map.of("name", name, "tags", List.of(Map.of("key", "k", "value", "v"))))
                .get("experiment_id").asString();
        assertThat(id).matches("^vision-x-[a-z0-9]+$");
        expectError(owner, "/experiments/create", Map.of("name", name), 400, "RESOURCE_ALREADY_EXISTS");
        JsonNode byName = ok(owner, "/experiments/get-by-name", Map.of("experiment_name", name)).get("experiment");
        assertThat(byName.get("experiment_id").asString()).isEqualTo(id);
        assertThat(pairs(byName.get("tags"))).containsEntry("k", "v");
        ok(owner, "/experiments/set-experiment-tag", Map.of("experiment_id", id, "key", "k", "value", "w"));
        assertThat(pairs(ok(owner, "/experiments/get", Map.of("experiment_id", id)).get("experiment").get("tags")))
                .containsEntry("k", "w");
        JsonNode found = ok(owner, "/experiments/search", Map.of("filter", "name LIKE 'Vision%' and tags.k = 'w'"));
        assertThat(found.get("experiments")).hasSize(1);
        String second = ok(owner, "/experiments/create", Map.of("name", "Audio " + Api.unique("x")))
                .get("experiment_id").asString();
        JsonNode byNameDesc = ok(owner, "/experiments/search", Map.of("order_by", List.of("name DESC")))
                .get("experiments");
        assertThat(List.of(byNameDesc.get(0).get("experiment_id").asString(),
                byNameDesc.get(1).get("experiment_id").asString())).containsExactly(id, second);
        expectError(owner, "/experiments/search", Map.of("order_by", List.of("color")), 400, "INVALID_PARAMETER_VALUE");
        ok(owner, "/experiments/delete", Map.of("experiment_id", second));
        String renamed = "Renamed " + Api.unique("r");
        ok(owner, "/experiments/update", Map.of("experiment_id", id, "new_name", renamed));
        assertThat(ok(owner, "/experiments/get", Map.of("experiment_id", id)).get("experiment").get("name").asString())
                .isEqualTo(renamed);
        assertThat(api.get("/api/v1/projects/" + id, owner).json().get("name").asString()).isEqualTo(renamed);
        expectError(owner, "/experiments/update", Map.of("experiment_id", id, "new_name", " "), 400,
                "INVALID_PARAMETER_VALUE");
        ok(owner, "/experiments/update", Map.of("experiment_id", id));
        assertThat(ok(owner, "/experiments/get", Map.of("experiment_id", id)).get("experiment").get("name").asString())
                .as("an update without new_name changes nothing").isEqualTo(renamed);
        ok(owner, "/experiments/delete", Map.of("experiment_id", id));
        assertThat(ok(owner, "/experiments/search", Map.of()).get("experiments")).isEmpty();
        assertThat(ok(owner, "/experiments/search", Map.of("view_type", "ALL")).get("experiments")).hasSize(2);
        ok(owner, "/experiments/restore", Map.of("experiment_id", id));
        assertThat(ok(owner, "/experiments/list", Map.of()).get("experiments")).hasSize(1);
        var key = createKey(id, "write").auth();
        expectError(key, "/experiments/create", Map.of("name", Api.unique("k")), 403, "PERMISSION_DENIED");
        expectError(createUser("stranger"), "/experiments/get", Map.of("experiment_id", id), 404,
                "RESOURCE_DOES_NOT_EXIST");
    }

    @Test
    void missingCredentialsAreRejectedUnderBothPrefixes() {
        assertThat(api.post(M + "/experiments/list", Api.ANONYMOUS, Map.of()).status()).isEqualTo(401);
        Api.Response ajax = api.post("/ajax-api/2.0/mlflow/runs/search", Api.ANONYMOUS, Map.of("experiment_ids",
                List.of("x")));
        assertThat(ajax.status()).isEqualTo(401);
        assertThat(ajax.json().get("error_code").asString()).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void openApiDocumentsTheMlflowEndpoints() {
        List<String> paths = new ArrayList<>();
        api.get("/v3/api-docs", Api.ANONYMOUS).json().get("paths").propertyNames().forEach(paths::add);
        assertThat(paths).contains(M + "/experiments/create", M + "/experiments/list", M + "/runs/log-batch",
                M + "/runs/search", M + "/metrics/get-history", M + "/metrics/get-history-bulk-interval",
                M + "/artifacts/list").doesNotContain(M + "/**");
    }

    private String mlflowRun(String slug) {
        return ok("/runs/create", Map.of("experiment_id", slug)).get("run").get("info").get("run_id").asString();
    }

    private JsonNode search(String slug, String filter) {
        return ok("/runs/search", Map.of("experiment_ids", List.of(slug), "filter", filter));
    }

    private static List<String> runIds(JsonNode search) {
        List<String> ids = new ArrayList<>();
        if (search.has("runs")) {
            search.get("runs").forEach(r -> ids.add(r.get("info").get("run_id").asString()));
        }
        return ids;
    }

    private static Map<String, String> pairs(JsonNode list) {
        Map<String, String> map = new HashMap<>();
        list.forEach(kv -> map.put(kv.get("key").asString(), kv.get("value").asString()));
        return map;
    }

    private Api.Response mlflow(String method, String path, String body) {
        return api.send(method, M + path, ADMIN, body);
    }

    private JsonNode ok(String path, Object body) {
        return ok(ADMIN, path, body);
    }

    private JsonNode ok(Auth who, String path, Object body) {
        Api.Response response = api.post(M + path, who, body);
        assertThat(response.status()).as(path + " → " + response).isEqualTo(200);
        return response.json();
    }

    private void expectError(String path, Object body, int status, String code) {
        expectError(ADMIN, path, body, status, code);
    }

    private void expectError(Auth who, String path, Object body, int status, String code) {
        Api.Response response = api.post(M + path, who, body);
        assertThat(response.status()).as(path + " → " + response).isEqualTo(status);
        assertThat(response.json().get("error_code").asString()).as(response.toString()).isEqualTo(code);
        assertThat(response.json().get("message").asString()).isNotBlank();
    }
}
