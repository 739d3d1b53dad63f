package dev.stepwise.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.Api.Auth;
import dev.stepwise.server.support.ApiTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Calls every endpoint as every kind of principal and asserts the exact status: 401 for missing,
 * bad, revoked or expired credentials; 404 for a project the caller cannot see; 403 for an action
 * the caller's role or key scope forbids.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTests extends ApiTest {

    /** Column order of the expected-status strings below. */
    enum Who { ANONYMOUS, ADMIN, OWNER, WRITER, READER, OUTSIDER, READ_KEY, WRITE_KEY, OTHER_PROJECT_KEY,
        REVOKED_KEY, EXPIRED_KEY }

    /** One endpoint call; {@code call} prepares its own fresh fixtures and then sends the request as {@code who}. */
    record Row(String name, String expected, Function<Auth, Api.Response> call) {}

    @Autowired
    JdbcTemplate jdbc;

    final Map<Who, Auth> principals = new LinkedHashMap<>();
    String slug;
    String runId;
    String foreignRunId;

    @BeforeAll
    void createPrincipals() {
        setUpApiForAll();
        var owner = createUser("owner");
        var writer = createUser("writer");
        var reader = createUser("reader");
        var outsider = createUser("outsider");
        slug = createProject(owner);
        addMember(slug, writer.username(), "WRITER");
        addMember(slug, reader.username(), "READER");
        String otherSlug = createProject(ADMIN);
        runId = createRun(slug);
        upload(slug, runId, null, List.of(Map.of("key", "loss", "step", 0, "value", 1.0, "epoch", 0)));
        foreignRunId = createRun(otherSlug);
        CreatedKey revoked = createKey(slug, "write");
        assertThat(api.delete("/api/v1/projects/" + slug + "/api-keys/" + revoked.id(), ADMIN).status()).isEqualTo(204);
        CreatedKey expired = createKey(slug, "write");
        jdbc.update("update api_keys set expires_at = now() - interval '1 hour' where id = ?", UUID.fromString(expired.id()));

        principals.put(Who.ANONYMOUS, Api.ANONYMOUS);
        principals.put(Who.ADMIN, ADMIN);
        principals.put(Who.OWNER, owner);
        principals.put(Who.WRITER, writer);
        principals.put(Who.READER, reader);
        principals.put(Who.OUTSIDER, outsider);
        principals.put(Who.READ_KEY, createKey(slug, "read").auth());
        principals.put(Who.WRITE_KEY, createKey(slug, "write").auth());
        principals.put(Who.OTHER_PROJECT_KEY, createKey(otherSlug, "write").auth());
        principals.put(Who.REVOKED_KEY, revoked.auth());
        principals.put(Who.EXPIRED_KEY, expired.auth());
    }

    private void setUpApiForAll() {
        api = new Api(port);
    }

    List<Row> rows() {
        String p = "/api/v1/projects/" + slug;
        List<Row> rows = new ArrayList<>();
        //                                      ANON ADM OWN WRI REA OUT RK  WK  OK  REV EXP
        rows.add(new Row("GET /me", "           401 200 200 200 200 200 200 200 200 401 401",
                who -> api.get("/api/v1/me", who)));
        rows.add(new Row("POST /auth/logout", " 401 204 204 204 204 204 204 204 204 401 401",
                who -> api.post("/api/v1/auth/logout", who, null)));
        rows.add(new Row("POST /users", "       401 201 403 403 403 403 403 403 403 401 401",
                who -> api.post("/api/v1/users", who, Map.of("username", Api.unique("u"), "password", PASSWORD))));
        rows.add(new Row("GET /users", "        401 200 403 403 403 403 403 403 403 401 401",
                who -> api.get("/api/v1/users", who)));
        rows.add(new Row("POST /projects", "    401 201 201 201 201 201 403 403 403 401 401",
                who -> api.post("/api/v1/projects", who, Map.of("slug", Api.unique("np"), "name", "New"))));
        rows.add(new Row("GET /projects", "     401 200 200 200 200 200 200 200 200 401 401",
                who -> api.get("/api/v1/projects", who)));
        rows.add(new Row("GET /projects/{slug}", "401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(p, who)));
        rows.add(new Row("GET /projects/{unknown}", "401 404 404 404 404 404 404 404 404 401 401",
                who -> api.get("/api/v1/projects/no-such-project", who)));
        rows.add(new Row("GET members", "       401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(p + "/members", who)));
        rows.add(new Row("PUT members/{user}", "401 200 200 403 403 404 403 403 404 401 401",
                who -> api.put(p + "/members/" + createUser("m").username(), who, Map.of("role", "READER"))));
        rows.add(new Row("DELETE members/{user}", "401 204 204 403 403 404 403 403 404 401 401",
                who -> {
                    String member = createUser("m").username();
                    addMember(slug, member, "READER");
                    return api.delete(p + "/members/" + member, who);
                }));
        rows.add(new Row("POST api-keys", "     401 201 201 403 403 404 403 403 404 401 401",
                who -> api.post(p + "/api-keys", who, Map.of("name", "k", "scope", "read"))));
        rows.add(new Row("GET api-keys", "      401 200 200 403 403 404 403 403 404 401 401",
                who -> api.get(p + "/api-keys", who)));
        rows.add(new Row("DELETE api-keys/{id}", "401 204 204 403 403 404 403 403 404 401 401",
                who -> api.delete(p + "/api-keys/" + createKey(slug, "read").id(), who)));
        rows.addAll(trackingRows(p));
        rows.addAll(mlflowRows());
        return rows;
    }

    /** Rows for runs, metrics, artifacts and TrainLog interchange. */
    List<Row> trackingRows(String p) {
        String run = p + "/runs/" + runId;
        Map<String, Object> points = Map.of("points", List.of(Map.of("key", "loss", "step", 1, "value", 0.5)));
        List<Row> rows = new ArrayList<>();
        //                                            ANON ADM OWN WRI REA OUT RK  WK  OK  REV EXP
        rows.add(new Row("POST runs", "               401 201 201 201 403 404 403 201 404 401 401",
                who -> api.post(p + "/runs", who, Map.of("name", "m"))));
        rows.add(new Row("GET runs", "                401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(p + "/runs?sort=-summary.loss.max", who)));
        rows.add(new Row("GET run", "                 401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(run, who)));
        rows.add(new Row("PATCH run", "               401 200 200 200 403 404 403 200 404 401 401",
                who -> api.patch(run, who, Map.of("notes", "n"))));
        rows.add(new Row("DELETE run", "              401 204 204 204 403 404 403 204 404 401 401",
                who -> api.delete(p + "/runs/" + createRun(slug), who)));
        rows.add(new Row("POST heartbeat", "          401 204 204 204 403 404 403 204 404 401 401",
                who -> api.post(run + "/heartbeat", who, null)));
        rows.add(new Row("POST metrics", "            401 200 200 200 403 404 403 200 404 401 401",
                who -> api.post(run + "/metrics", who, points)));
        rows.add(new Row("GET metrics", "             401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(run + "/metrics", who)));
        rows.add(new Row("GET summary", "             401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(run + "/summary", who)));
        rows.add(new Row("GET series", "              401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(run + "/series?key=loss", who)));
        rows.add(new Row("GET points", "              401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(run + "/points?key=loss", who)));
        rows.add(new Row("GET epochs", "              401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(run + "/epochs", who)));
        rows.add(new Row("POST artifacts", "          401 201 201 201 403 404 403 201 404 401 401",
                who -> api.post(run + "/artifacts", who, Map.of("name", "a", "uri", "s3://x"))));
        rows.add(new Row("GET artifacts", "           401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(run + "/artifacts", who)));
        rows.add(new Row("GET export/trainlog", "     401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(run + "/export/trainlog", who)));
        rows.add(new Row("POST import/trainlog", "    401 201 201 201 403 404 403 201 404 401 401",
                who -> api.post(p + "/import/trainlog", who, Map.of("series", List.of()))));
        rows.add(new Row("GET epoch-reductions", "    401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(p + "/epoch-reductions", who)));
        rows.add(new Row("PUT epoch-reductions", "    401 200 200 200 403 404 403 200 404 401 401",
                who -> api.put(p + "/epoch-reductions", who, Map.of("rules", List.of()))));
        rows.add(new Row("GET run of another project", "401 404 404 404 404 404 404 404 404 401 401",
                who -> api.get(p + "/runs/" + foreignRunId, who)));
        return rows;
    }

    /**
     * Rows for the MLflow-compatible API. Every error there is MLflow's {@code {error_code, message}},
     * also missing or bad credentials answered by the security filters.
     */
    List<Row> mlflowRows() {
        String m = "/api/2.0/mlflow";
        Map<String, Object> experiment = Map.of("experiment_id", slug);
        Map<String, Object> run = Map.of("run_id", runId);
        List<Row> rows = new ArrayList<>();
        //                                                  ANON ADM OWN WRI REA OUT RK  WK  OK  REV EXP
        rows.add(new Row("MLflow GET experiments/list", "   401 200 200 200 200 200 200 200 200 401 401",
                who -> api.get(m + "/experiments/list", who)));
        rows.add(new Row("MLflow POST experiments/search", "401 200 200 200 200 200 200 200 200 401 401",
                who -> api.post(m + "/experiments/search", who, Map.of())));
        rows.add(new Row("MLflow POST experiments/create", "401 200 200 200 200 200 403 403 403 401 401",
                who -> api.post(m + "/experiments/create", who, Map.of("name", Api.unique("mlflow")))));
        rows.add(new Row("MLflow GET experiments/get", "    401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(m + "/experiments/get?experiment_id=" + slug, who)));
        rows.add(new Row("MLflow GET experiments/get-by-name", "401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(m + "/experiments/get-by-name?experiment_name=" + slug, who)));
        rows.add(new Row("MLflow POST experiments/update", "401 200 200 403 403 404 403 403 404 401 401",
                who -> api.post(m + "/experiments/update", who, experiment)));
        rows.add(new Row("MLflow POST experiments/delete", "401 200 200 403 403 404 403 403 404 401 401",
                who -> {
                    Api.Response response = api.post(m + "/experiments/delete", who, experiment);
                    assertThat(api.post(m + "/experiments/restore", ADMIN, experiment).status()).isEqualTo(200);
                    return response;
                }));
        rows.add(new Row("MLflow POST experiments/restore", "401 200 200 403 403 404 403 403 404 401 401",
                who -> api.post(m + "/experiments/restore", who, experiment)));
        rows.add(new Row("MLflow POST experiments/set-experiment-tag", "401 200 200 200 403 404 403 200 404 401 401",
                who -> api.post(m + "/experiments/set-experiment-tag", who, Map.of("experiment_id", slug, "key", "k",
                        "value", "v"))));
        rows.add(new Row("MLflow POST runs/create", "       401 200 200 200 403 404 403 200 404 401 401",
                who -> api.post(m + "/runs/create", who, experiment)));
        rows.add(new Row("MLflow GET runs/get", "           401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(m + "/runs/get?run_id=" + runId, who)));
        rows.add(new Row("MLflow POST runs/update", "       401 200 200 200 403 404 403 200 404 401 401",
                who -> api.post(m + "/runs/update", who, Map.of("run_id", runId, "status", "RUNNING"))));
        rows.add(new Row("MLflow POST runs/delete", "       401 200 200 200 403 404 403 200 404 401 401",
                who -> api.post(m + "/runs/delete", who, Map.of("run_id", createRun(slug)))));
        rows.add(new Row("MLflow POST runs/restore", "      401 200 200 200 403 404 403 200 404 401 401",
                who -> api.post(m + "/runs/restore", who, Map.of("run_id", createRun(slug)))));
        rows.add(new Row("MLflow POST runs/search", "       401 200 200 200 200 404 200 200 404 401 401",
                who -> api.post(m + "/runs/search", who, Map.of("experiment_ids", List.of(slug)))));
        rows.add(new Row("MLflow POST runs/log-metric", "   401 200 200 200 403 404 403 200 404 401 401",
                who -> api.post(m + "/runs/log-metric", who, Map.of("run_id", runId, "key", "loss", "value", 0.5,
                        "timestamp", 1, "step", 2))));
        rows.add(new Row("MLflow POST runs/log-batch", "    401 200 200 200 403 404 403 200 404 401 401",
                who -> api.post(m + "/runs/log-batch", who, Map.of("run_id", runId, "metrics",
                        List.of(Map.of("key", "loss", "value", 0.5, "timestamp", 1, "step", 3))))));
        rows.add(new Row("MLflow POST runs/log-parameter", "401 200 200 200 403 404 403 200 404 401 401",
                who -> api.post(m + "/runs/log-parameter", who, Map.of("run_id", runId, "key", Api.unique("p"),
                        "value", "1"))));
        rows.add(new Row("MLflow POST runs/set-tag", "      401 200 200 200 403 404 403 200 404 401 401",
                who -> api.post(m + "/runs/set-tag", who, Map.of("run_id", runId, "key", "t", "value", "v"))));
        rows.add(new Row("MLflow POST runs/delete-tag", "   401 200 200 200 403 404 403 200 404 401 401",
                who -> {
                    assertThat(api.post(m + "/runs/set-tag", ADMIN, Map.of("run_id", runId, "key", "d", "value", "v"))
                            .status()).isEqualTo(200);
                    return api.post(m + "/runs/delete-tag", who, Map.of("run_id", runId, "key", "d"));
                }));
        rows.add(new Row("MLflow GET metrics/get-history", "401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(m + "/metrics/get-history?run_id=" + runId + "&metric_key=loss", who)));
        rows.add(new Row("MLflow GET metrics/get-history-bulk-interval", "401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(m + "/metrics/get-history-bulk-interval?run_ids=" + runId + "&metric_key=loss", who)));
        rows.add(new Row("MLflow GET artifacts/list", "     401 200 200 200 200 404 200 200 404 401 401",
                who -> api.get(m + "/artifacts/list?run_id=" + runId, who)));
        rows.add(new Row("MLflow GET runs/get of another project", "401 200 404 404 404 404 404 404 200 401 401",
                who -> api.get(m + "/runs/get?run_id=" + foreignRunId, who)));
        rows.add(new Row("MLflow POST ajax-api runs/search", "401 200 200 200 200 404 200 200 404 401 401",
                who -> api.post("/ajax-api/2.0/mlflow/runs/search", who, Map.of("experiment_ids", List.of(slug)))));
        return rows;
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointAnswersEachPrincipalWithTheExactStatus() {
        return rows().stream().flatMap(row -> {
            String[] expected = row.expected().trim().split("\\s+");
            assertThat(expected).as(row.name()).hasSize(Who.values().length);
            return Arrays.stream(Who.values()).map(who -> DynamicTest.dynamicTest(row.name() + " as " + who, () -> {
                Api.Response response = row.call().apply(principals.get(who));
                assertThat(response.status()).as(row.name() + " as " + who + " → " + response)
                        .isEqualTo(Integer.parseInt(expected[who.ordinal()]));
                if (response.status() >= 400 && row.name().startsWith("MLflow ")) {
                    assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/json");
                    assertThat(response.json().get("error_code").asString()).isNotBlank();
                    assertThat(response.json().get("message").asString()).isNotBlank();
                    if (response.status() == 401) {
                        assertThat(response.json().get("error_code").asString()).isEqualTo("UNAUTHENTICATED");
                    }
                } else if (response.status() >= 400) {
                    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
                    assertThat(response.json().get("status").asInt()).isEqualTo(response.status());
                }
            }));
        });
    }
}
