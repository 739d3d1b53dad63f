package dev.stepwise.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationsTests extends ApiTest {

    @Test
    void healthProbesArePublic() {
        assertThat(api.get("/actuator/health", Api.ANONYMOUS).json().get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/health/liveness", Api.ANONYMOUS).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness", Api.ANONYMOUS).status()).isEqualTo(200);
    }

    @Test
    void prometheusExposesServiceMetrics() {
        api.get("/api/v1/me", ADMIN);
        Api.Response metrics = api.get("/actuator/prometheus", Api.ANONYMOUS);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("http_server_requests_seconds", "hikaricp_connections", "jvm_memory_used_bytes");
    }

    @Test
    void openApiDocumentsEveryContractPath() {
        Api.Response docs = api.get("/v3/api-docs", Api.ANONYMOUS);
        assertThat(docs.status()).isEqualTo(200);
        List<String> paths = new ArrayList<>();
        docs.json().get("paths").propertyNames().forEach(paths::add);
        assertThat(paths).contains("/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/me", "/api/v1/users",
                "/api/v1/projects", "/api/v1/projects/{slug}", "/api/v1/projects/{slug}/members",
                "/api/v1/projects/{slug}/members/{username}", "/api/v1/projects/{slug}/api-keys",
                "/api/v1/projects/{slug}/api-keys/{id}", "/api/v1/projects/{slug}/runs",
                "/api/v1/projects/{slug}/runs/{id}", "/api/v1/projects/{slug}/runs/{id}/heartbeat",
                "/api/v1/projects/{slug}/runs/{id}/metrics", "/api/v1/projects/{slug}/runs/{id}/summary",
                "/api/v1/projects/{slug}/runs/{id}/series", "/api/v1/projects/{slug}/runs/{id}/epochs",
                "/api/v1/projects/{slug}/runs/{id}/artifacts", "/api/v1/projects/{slug}/runs/{id}/export/trainlog",
                "/api/v1/projects/{slug}/import/trainlog");
        assertThat(api.get("/swagger-ui/index.html", Api.ANONYMOUS).status()).isEqualTo(200);
    }

    @Test
    void unknownApiPathsAreProblemsNotTheWebApp() {
        Api.Response response = api.get("/api/v1/nothing-here", ADMIN);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void responsesCarrySecurityHeaders() {
        Api.Response response = api.get("/actuator/health", Api.ANONYMOUS);
        assertThat(response.header("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }
}
