package dev.stepwise.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.net.HttpCookie;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class AuthFlowTests extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void loginStartsASessionThatLogoutEnds() {
        var user = createUser("alice");
        Api.Session session = api.login(user.username(), user.password());

        Api.Response me = api.get("/api/v1/me", session);
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").asString()).isEqualTo(user.username());
        assertThat(me.json().get("admin").asBoolean()).isFalse();

        assertThat(api.post("/api/v1/auth/logout", session, null).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/me", session).status()).isEqualTo(401);
    }

    @Test
    void loginAnswersUsernameAndAdminFlag() {
        Api.Response response = api.post("/api/v1/auth/login", Api.ANONYMOUS,
                Map.of("username", ADMIN.username(), "password", ADMIN.password()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("username").asString()).isEqualTo("admin");
        assertThat(response.json().get("admin").asBoolean()).isTrue();
        assertThat(response.headers().get("set-cookie")).anySatisfy(c -> assertThat(c).contains("HttpOnly"));
    }

    @Test
    void sessionRequestsThatChangeStateNeedTheCsrfToken() {
        var user = createUser("csrf");
        Api.Session session = api.login(user.username(), user.password());
        Map<String, String> body = Map.of("slug", Api.unique("csrf"), "name", "CSRF");

        Api.Response withoutToken = api.send("POST", "/api/v1/projects", session, body,
                Map.of("X-XSRF-TOKEN", "forged"));
        assertThat(withoutToken.status()).isEqualTo(403);
        assertThat(withoutToken.json().get("detail").asString()).contains("CSRF");

        assertThat(api.post("/api/v1/projects", session, body).status()).isEqualTo(201);
    }

    @Test
    void loginChangesTheSessionIdAndTheCsrfToken() {
        var user = createUser("fixation");
        Api.Session session = api.login(user.username(), user.password());
        String before = sessionId(session);
        String tokenBefore = cookie(session, "XSRF-TOKEN");
        assertThat(tokenBefore).isNotNull();
        api.post("/api/v1/auth/login", session, Map.of("username", user.username(), "password", user.password()));
        assertThat(sessionId(session)).isNotNull().isNotEqualTo(before);
        assertThat(cookie(session, "XSRF-TOKEN")).isNotNull().isNotEqualTo(tokenBefore);
        assertThat(api.post("/api/v1/projects", session, Map.of("slug", Api.unique("rot"), "name", "n")).status())
                .isEqualTo(201);
    }

    private static String cookie(Api.Session session, String name) {
        return session.cookies().getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst().orElse(null);
    }

    private static String sessionId(Api.Session session) {
        return session.cookies().getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("STEPWISE_SESSION")).map(HttpCookie::getValue).findFirst()
                .orElse(null);
    }

    @Test
    void wrongPasswordIsUnauthorizedAndAudited() {
        var user = createUser("wrongpw");
        Api.Response response = api.post("/api/v1/auth/login", Api.ANONYMOUS,
                Map.of("username", user.username(), "password", "not-the-password"));
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.json().get("detail").asString()).isEqualTo("Invalid username or password");
        assertThat(jdbc.queryForObject("select count(*) from audit_events where type = 'LOGIN_FAILED' and subject = ?",
                Long.class, user.username())).isEqualTo(1);
    }

    @Test
    void repeatedFailedLoginsAreThrottledWithRetryAfter() {
        var user = createUser("throttled");
        Map<String, String> wrong = Map.of("username", user.username(), "password", "guess-guess");
        for (int i = 0; i < 5; i++) {
            assertThat(api.post("/api/v1/auth/login", Api.ANONYMOUS, wrong).status()).isEqualTo(401);
        }
        Api.Response throttled = api.post("/api/v1/auth/login", Api.ANONYMOUS,
                Map.of("username", user.username(), "password", user.password()));
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(Long.parseLong(throttled.header("Retry-After"))).isBetween(1L, 301L);

        Api.Response basic = api.get("/api/v1/me", user);
        assertThat(basic.status()).isEqualTo(429);
    }

    @Test
    void passwordsAreStoredWithAnAdaptiveHash() {
        var user = createUser("hashed");
        String hash = jdbc.queryForObject("select password_hash from users where username = ?", String.class,
                user.username());
        assertThat(hash).startsWith("{bcrypt}$2").doesNotContain(user.password());
    }

    @Test
    void apiKeysAreStoredOnlyAsHashesAndRevocationIsImmediate() {
        String slug = createProject(ADMIN);
        CreatedKey key = createKey(slug, "write");
        String secret = key.auth().key();
        assertThat(secret).startsWith("sw_");
        assertThat(jdbc.queryForObject("select count(*) from api_keys where key_hash = ? or prefix = ?", Long.class,
                secret, secret)).isZero();

        Api.Response me = api.get("/api/v1/me", key.auth());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("apiKey").get("project").asString()).isEqualTo(slug);
        assertThat(me.json().get("apiKey").get("scope").asString()).isEqualTo("write");

        Api.Response listed = api.get("/api/v1/projects/" + slug + "/api-keys", ADMIN);
        assertThat(listed.body()).doesNotContain(secret);
        var entry = listed.json().get("apiKeys").get(0);
        assertThat(secret).startsWith(entry.get("prefix").asString());
        assertThat(entry.get("lastUsedAt").isNull()).isFalse();
        assertThat(entry.get("revoked").asBoolean()).isFalse();

        assertThat(api.delete("/api/v1/projects/" + slug + "/api-keys/" + key.id(), ADMIN).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/me", key.auth()).status()).isEqualTo(401);
        assertThat(api.get("/api/v1/projects/" + slug + "/api-keys", ADMIN).json().get("apiKeys").get(0)
                .get("revoked").asBoolean()).isTrue();
    }

    @Test
    void keyCreationWithPastExpiryIsRejected() {
        String slug = createProject(ADMIN);
        Api.Response response = api.post("/api/v1/projects/" + slug + "/api-keys", ADMIN,
                Map.of("name", "old", "scope", "read", "expiresAt", "2001-01-01T00:00:00Z"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("expiresAt");
    }

    @Test
    void duplicateSlugIsAConflictAndDuplicateUserToo() {
        String slug = createProject(ADMIN);
        assertThat(api.post("/api/v1/projects", ADMIN, Map.of("slug", slug, "name", "again")).status())
                .isEqualTo(409);
        var user = createUser("dup");
        assertThat(api.post("/api/v1/users", ADMIN, Map.of("username", user.username(), "password", PASSWORD))
                .status()).isEqualTo(409);
    }

    @Test
    void lastOwnerCannotBeRemovedOrDemoted() {
        var owner = createUser("solo");
        String slug = createProject(owner);
        String members = "/api/v1/projects/" + slug + "/members/" + owner.username();
        assertThat(api.delete(members, owner).status()).isEqualTo(409);
        assertThat(api.put(members, owner, Map.of("role", "READER")).status()).isEqualTo(409);

        var second = createUser("second");
        assertThat(api.put("/api/v1/projects/" + slug + "/members/" + second.username(), owner,
                Map.of("role", "OWNER")).status()).isEqualTo(200);
        assertThat(api.delete(members, owner).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/projects/" + slug, owner).status()).isEqualTo(404);
    }

    @Test
    void memberChangesAndKeyEventsAreAudited() {
        var owner = createUser("audited");
        String slug = createProject(owner);
        var member = createUser("member");
        api.put("/api/v1/projects/" + slug + "/members/" + member.username(), owner, Map.of("role", "WRITER"));
        api.delete("/api/v1/projects/" + slug + "/members/" + member.username(), owner);
        CreatedKey key = createKey(slug, "read");
        api.delete("/api/v1/projects/" + slug + "/api-keys/" + key.id(), ADMIN);
        assertThat(jdbc.queryForList("select type from audit_events e join projects p on p.id = e.project_id "
                + "where p.slug = ? order by e.id", String.class, slug))
                .containsExactly("PROJECT_CREATED", "MEMBER_CHANGED", "MEMBER_REMOVED", "API_KEY_CREATED",
                        "API_KEY_REVOKED");
    }

    @Test
    void projectListShowsOnlyVisibleProjectsWithRoleAndRunCount() {
        var alice = createUser("list");
        String mine = createProject(alice);
        String other = createProject(ADMIN);
        var projects = api.get("/api/v1/projects", alice).json().get("projects");
        assertThat(projects).hasSize(1);
        assertThat(projects.get(0).get("slug").asString()).isEqualTo(mine);
        assertThat(projects.get(0).get("role").asString()).isEqualTo("OWNER");
        assertThat(projects.get(0).get("runCount").asLong()).isZero();
        assertThat(api.get("/api/v1/projects", ADMIN).body()).contains(mine, other);
    }
}
