package dev.stepwise.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.StepwiseApplication;
import dev.stepwise.server.support.Api;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

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
            JdbcTemplate jdbc = new JdbcTemplate(second.getBean(DataSource.class));
            assertThat(jdbc.queryForObject("show fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show synchronous_commit", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("show full_page_writes", String.class)).isEqualTo("on");
        }
    }

    @Test
    @Timeout(300)
    void aPostmasterLeftRunningByAKilledServiceIsStoppedAndTheServiceStartsFirstTime() throws Exception {
        Path pgDir = dataDir.resolve("postgres");
        Process killed = startServiceProcess();
        ProcessHandle orphan;
        try {
            orphan = EmbeddedPostmaster.running(pgDir).orElseThrow();
            // Without its watchdog (as if that had been killed too), SIGKILL leaves the postmaster running.
            killed.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            killed.destroyForcibly().waitFor();
            assertThat(orphan.isAlive()).isTrue();
        } finally {
            killed.destroyForcibly();
        }
        try (ConfigurableApplicationContext service = start()) {
            assertThat(orphan.isAlive()).isFalse();
            assertThat(api(service).get("/actuator/health/readiness", Api.ANONYMOUS).status()).isEqualTo(200);
            assertThat(EmbeddedPostmaster.running(pgDir)).get().extracting(ProcessHandle::pid)
                    .isNotEqualTo(orphan.pid());
        } finally {
            orphan.destroyForcibly();
        }
    }

    @Test
    @Timeout(240)
    void theDatabaseStopsWhenTheServiceJvmIsKilled() throws Exception {
        Path pgDir = dataDir.resolve("postgres");
        Process service = startServiceProcess();
        try {
            ProcessHandle postmaster = EmbeddedPostmaster.running(pgDir).orElseThrow();
            service.destroyForcibly().waitFor();
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !postmaster.isAlive());
        } finally {
            service.destroyForcibly();
            EmbeddedPostmaster.stopOrphan(pgDir, Duration.ofSeconds(10));
        }
    }

    /** The service in a JVM of its own, on this test's data directory, once it has started. */
    private Process startServiceProcess() throws Exception {
        Path log = dataDir.resolve("service-" + System.nanoTime() + ".log");
        Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StepwiseApplication.class.getName(),
                "--stepwise.test.database=none", "--stepwise.data-dir=" + dataDir, "--server.port=0",
                "--stepwise.admin.password=process-password")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Awaitility.await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250))
                .until(() -> !service.isAlive() || Files.readString(log).contains("Started StepwiseApplication"));
        assertThat(service.isAlive()).as("service started (log: %s)", log).isTrue();
        return service;
    }
}
