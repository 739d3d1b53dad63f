package dev.stepwise.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api.Auth;
import dev.stepwise.server.support.Api.Basic;
import dev.stepwise.server.support.Api.Bearer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Base for tests over real HTTP against the whole service on a random port and a real PostgreSQL.
 * Fixture helpers create users, projects and keys through the public API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ApiTest {

    public static final Basic ADMIN = new Basic("admin", TestDatabaseInitializer.ADMIN_PASSWORD);
    public static final String PASSWORD = "correct-horse-battery";

    @LocalServerPort
    protected int port;

    protected Api api;

    @BeforeEach
    void setUpApi() {
        api = new Api(port);
    }

    /** Creates a user (as admin) and returns Basic credentials for it. */
    protected Basic createUser(String prefix) {
        String username = Api.unique(prefix);
        Api.Response response = api.post("/api/v1/users", ADMIN, Map.of("username", username, "password", PASSWORD));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return new Basic(username, PASSWORD);
    }

    /** Creates a project owned by {@code owner} and returns its slug. */
    protected String createProject(Auth owner) {
        String slug = Api.unique("p");
        Api.Response response = api.post("/api/v1/projects", owner, Map.of("slug", slug, "name", "Project " + slug));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return slug;
    }

    protected void addMember(String slug, String username, String role) {
        Api.Response response = api.put("/api/v1/projects/" + slug + "/members/" + username, ADMIN,
                Map.of("role", role));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** A created API key: its id and the secret. */
    protected record CreatedKey(String id, Bearer auth) {}

    /** Creates a run in the project (as admin) and returns its id. */
    protected String createRun(String slug, Map<String, Object> body) {
        Api.Response response = api.post("/api/v1/projects/" + slug + "/runs", ADMIN, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return response.json().get("id").asString();
    }

    protected String createRun(String slug) {
        return createRun(slug, Map.of("name", Api.unique("run")));
    }

    /** Uploads points to a run and asserts they were accepted. */
    protected void upload(String slug, String runId, String batchId, java.util.List<Map<String, Object>> points) {
        Api.Response response = api.post("/api/v1/projects/" + slug + "/runs/" + runId + "/metrics", ADMIN,
                TrackingFixtures.batch(batchId, points));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    protected String runPath(String slug, String runId) {
        return "/api/v1/projects/" + slug + "/runs/" + runId;
    }

    protected CreatedKey createKey(String slug, String scope) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "key " + scope);
        body.put("scope", scope);
        Api.Response response = api.post("/api/v1/projects/" + slug + "/api-keys", ADMIN, body);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return new CreatedKey(response.json().get("id").asString(),
                new Bearer(response.json().get("key").asString()));
    }
}
