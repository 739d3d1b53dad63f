package dev.stepwise.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.StepwiseApplication;
import dev.stepwise.server.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs the service as an installation with no configuration does: embedded PostgreSQL in the data
 * directory, generated admin password. Users, projects and keys survive a restart.
 */
class EmbeddedDatabaseRestartTests {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(StepwiseApplication.class)
                .run("--stepwise.test.database=none", "--stepwise.data-dir=" + dataDir, "--server.port=0",
                        "--stepwise.admin.password=");
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    @Test
    @Timeout(180)
    void dataSurvivesARestartAndTheGeneratedAdminPasswordIsWrittenPrivately() throws Exception {
        String password;
        String key;
        try (ConfigurableApplicationContext first = start()) {
            Path passwordFile = dataDir.resolve("initial-admin-password");
            assertThat(Files.getPosixFilePermissions(passwordFile))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            password = Files.readString(passwordFile).trim();
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            Api api = api(first);
            var admin = new Api.Basic("admin", password);
            assertThat(api.post("/api/v1/users", admin, Map.of("username", "carol", "password", "carol-password"))
                    .status()).isEqualTo(201);
            assertThat(api.post("/api/v1/projects", admin, Map.of("slug", "persisted", "name", "Persisted"))
                    .status()).isEqualTo(201);
            key = api.post("/api/v1/projects/persisted/api-keys", admin, Map.of("name", "ci", "scope", "read"))
                    .json().get("key").asString();
        }
        assertThat(dataDir.resolve("postgres").resolve("PG_VERSION")).exists();

        try (ConfigurableApplicationContext second = start()) {
            Api api = api(second);
            assertThat(api.get("/api/v1/me", new Api.Basic("carol", "carol-password")).status()).isEqualTo(200);
            assertThat(api.get("/api/v1/projects/persisted", new Api.Basic("admin", password)).status())
                    .isEqualTo(200);
            Api.Response me = api.get("/api/v1/me", new Api.Bearer(key));
            assertThat(me.status()).isEqualTo(200);
            assertThat(me.json().get("apiKey").get("project").asString()).isEqualTo("persisted");
            assertThat(api.get("/actuator/health/readiness", Api.ANONYMOUS).status()).isEqualTo(200);
        }
    }
}
