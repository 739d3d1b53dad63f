package dev.stepwise.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.TestPropertySource;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The same service against a PostgreSQL container; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
@TestPropertySource(properties = "spring.datasource.url=jdbc:postgresql://replaced-by-service-connection/db")
class PostgresContainerTests extends ApiTest {

    @Container
    @ServiceConnection
    static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");

    @Test
    void projectsWorkOnAContainerDatabase() {
        String slug = createProject(ADMIN);
        assertThat(api.get("/api/v1/projects/" + slug, ADMIN).json().get("role").asString()).isEqualTo("OWNER");
        assertThat(api.post("/api/v1/projects", ADMIN, Map.of("slug", slug, "name", "x")).status()).isEqualTo(409);
    }
}
