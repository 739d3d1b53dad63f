package dev.stepwise.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Client mistakes answer clear 4xx problems and change nothing. */
class ProblemResponseTests extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    private long projectCount() {
        return jdbc.queryForObject("select count(*) from projects", Long.class);
    }

    private static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("title").asString()).isNotBlank();
        assertThat(response.json().get("detail").asString()).isNotBlank();
        assertThat(response.body()).doesNotContain("Exception", "at dev.stepwise");
    }

    @Test
    void requestsTheFirewallRejectsAreProblemsToo() {
        // Rejected before any controller runs (semicolon, encoded slash): still a problem, not a default error page.
        assertProblem(api.get("/api/v1/projects/x;jsessionid=1", ADMIN), 400);
        assertProblem(api.get("/api/v1/projects/a%2Fb", ADMIN), 400);
        assertProblem(api.get("/api/v1/projects/x;jsessionid=1", null), 400);
        // The error path itself is nothing to fetch.
        assertProblem(api.get("/error", ADMIN), 404);
    }

    @Test
    void anAcceptHeaderWithoutJsonIsRefusedBeforeAnythingIsStored() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        long runs = jdbc.queryForObject("select count(*) from runs", Long.class);
        long keys = jdbc.queryForObject("select count(*) from api_keys", Long.class);
        Map<String, String> html = Map.of("Accept", "text/html");
        assertProblem(api.send("POST", "/api/v1/projects/" + slug + "/runs", ADMIN, Map.of("name", "x"), html), 406);
        assertProblem(api.send("POST", "/api/v1/projects/" + slug + "/api-keys", ADMIN,
                Map.of("name", "k", "scope", "write"), html), 406);
        assertProblem(api.send("POST", "/api/v1/projects/" + slug + "/runs/" + run + "/metrics", ADMIN,
                Map.of("points", java.util.List.of(Map.of("key", "loss", "step", 1, "value", 1))), html), 406);
        assertThat(jdbc.queryForObject("select count(*) from runs", Long.class)).isEqualTo(runs);
        assertThat(jdbc.queryForObject("select count(*) from api_keys", Long.class)).isEqualTo(keys);
        assertThat(jdbc.queryForObject("select count(*) from metric_points p join metric_series s on s.id = p.series_id "
                + "where s.run_id = ?::uuid", Long.class, run)).isZero();
        assertProblem(api.send("GET", "/api/v1/projects", ADMIN, null, Map.of("Accept", "not a media type;;")), 400);
        // JSON, problem JSON, wildcards and no header at all are fine.
        for (String accept : new String[] {"application/json", "application/problem+json", "*/*",
                "text/html, application/*;q=0.5"}) {
            assertThat(api.send("GET", "/api/v1/projects", ADMIN, null, Map.of("Accept", accept)).status())
                    .as(accept).isEqualTo(200);
        }
        assertThat(api.get("/api/v1/projects", ADMIN).status()).isEqualTo(200);
    }

    @Test
    void aTimeGivenAsANumberIsEpochMillisecondsLikeEverywhereElse() {
        String slug = createProject(ADMIN);
        long inAnHour = System.currentTimeMillis() + 3_600_000L;
        Api.Response created = api.post("/api/v1/projects/" + slug + "/api-keys", ADMIN,
                Map.of("name", "ms", "scope", "read", "expiresAt", inAnHour));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(java.time.Instant.parse(created.json().get("expiresAt").asString()).toEpochMilli())
                .isEqualTo(inAnHour);
        Api.Response expired = api.post("/api/v1/projects/" + slug + "/api-keys", ADMIN,
                Map.of("name", "past", "scope", "read", "expiresAt", System.currentTimeMillis() - 60_000L));
        // Read as seconds, a minute ago in milliseconds would be tens of thousands of years ahead.
        assertProblem(expired, 400);
    }

    @Test
    void malformedJsonIsABadRequest() {
        long before = projectCount();
        assertProblem(api.post("/api/v1/projects", ADMIN, "{\"slug\": \"x"), 400);
        assertThat(projectCount()).isEqualTo(before);
    }

    @Test
    void wrongTypeNamesTheField() {
        Api.Response response = api.post("/api/v1/users", ADMIN, "{\"username\":\"typed\",\"password\":\"longenough\",\"admin\":{}}");
        assertProblem(response, 400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("admin");
    }

    @Test
    void unknownFieldsAreRejected() {
        Api.Response response = api.post("/api/v1/projects", ADMIN,
                Map.of("slug", Api.unique("unk"), "name", "n", "colour", "red"));
        assertProblem(response, 400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("colour");
    }

    @Test
    void validationErrorsListEveryField() {
        Api.Response response = api.post("/api/v1/projects", ADMIN, Map.of("slug", "UPPER", "name", ""));
        assertProblem(response, 400);
        assertThat(response.json().get("errors")).hasSize(2);
    }

    @Test
    void invalidRoleIsABadRequest() {
        String slug = createProject(ADMIN);
        var user = createUser("role");
        assertProblem(api.put("/api/v1/projects/" + slug + "/members/" + user.username(), ADMIN,
                Map.of("role", "KING")), 400);
        assertProblem(api.put("/api/v1/projects/" + slug + "/members/nobody-here", ADMIN,
                Map.of("role", "READER")), 404);
    }

    @Test
    void malformedIdInPathIsABadRequest() {
        String slug = createProject(ADMIN);
        assertProblem(api.delete("/api/v1/projects/" + slug + "/api-keys/not-a-uuid", ADMIN), 400);
    }

    @Test
    void oversizeBodyIsRejectedWith413() {
        byte[] big = new byte[17 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        assertProblem(api.post("/api/v1/projects", ADMIN, big), 413);
    }

    @Test
    void gzipBodiesAreDecodedAndTheirUncompressedSizeIsLimited() {
        String slug = Api.unique("gz");
        byte[] json = ("{\"slug\":\"" + slug + "\",\"name\":\"gzip\"}").getBytes(StandardCharsets.UTF_8);
        Api.Response created = api.send("POST", "/api/v1/projects", ADMIN, Api.gzip(json),
                Map.of("Content-Encoding", "gzip"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);

        byte[] bomb = new byte[20 * 1024 * 1024];
        java.util.Arrays.fill(bomb, (byte) ' ');
        bomb[0] = '{';
        assertProblem(api.send("POST", "/api/v1/projects", ADMIN, Api.gzip(bomb),
                Map.of("Content-Encoding", "gzip")), 413);
    }

    @Test
    void corruptGzipIsABadRequestAndUnknownEncodingIsUnsupported() {
        assertProblem(api.send("POST", "/api/v1/projects", ADMIN, "not gzip at all",
                Map.of("Content-Encoding", "gzip")), 400);
        assertProblem(api.send("POST", "/api/v1/projects", ADMIN, "{}", Map.of("Content-Encoding", "br")), 415);
    }

    @Test
    void unsupportedMediaTypeAndMethodAreClientErrors() {
        assertProblem(api.send("POST", "/api/v1/projects", ADMIN, "slug=x",
                Map.of("Content-Type", "text/plain")), 415);
        assertProblem(api.send("PATCH", "/api/v1/projects", ADMIN, "{}"), 405);
        assertProblem(api.get("/api/v1/no-such-endpoint", ADMIN), 404);
    }
}
