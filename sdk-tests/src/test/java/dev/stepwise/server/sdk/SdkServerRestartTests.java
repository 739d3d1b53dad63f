package dev.stepwise.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.client.RetryPolicy;
import dev.stepwise.client.Run;
import dev.stepwise.client.Stats;
import dev.stepwise.client.Stepwise;
import dev.stepwise.server.StepwiseApplication;
import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.TestDatabases;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service process itself stops while a trainer is logging and starts again on the same port
 * and database: the SDK retries and spools through the outage, and every point is stored exactly
 * once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SdkServerRestartTests {

    private static final String PASSWORD = "restart-admin-password";

    @TempDir
    Path tmp;

    private static ConfigurableApplicationContext start(int port, TestDatabases.Database db, Path dataDir) {
        return new SpringApplicationBuilder(StepwiseApplication.class).run("--server.port=" + port,
                "--spring.datasource.url=" + db.url(), "--spring.datasource.username=" + db.username(),
                "--spring.datasource.password=" + db.password(), "--stepwise.admin.password=" + PASSWORD,
                "--stepwise.data-dir=" + dataDir, "--spring.lifecycle.timeout-per-shutdown-phase=2s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    @Test
    void serverStoppedMidStreamAndRestartedStoresEveryPointOnce() throws Exception {
        int port = freePort();
        TestDatabases.Database db = TestDatabases.createDatabase();
        Api api = new Api(port);
        Api.Basic admin = new Api.Basic("admin", PASSWORD);
        ConfigurableApplicationContext server = start(port, db, tmp.resolve("data"));
        UUID id;
        try {
            assertThat(api.post("/api/v1/projects", admin, Map.of("slug", "restart", "name", "Restart")).status())
                    .isEqualTo(201);
            String key = api.post("/api/v1/projects/restart/api-keys", admin, Map.of("name", "t", "scope", "write"))
                    .json().get("key").asString();
            try (Stepwise stepwise = Stepwise.builder().environment(Map.of()).baseUrl(api.baseUrl()).apiKey(key)
                    .project("restart").spoolDir(tmp.resolve("spool")).shutdownHook(false).batchSize(500)
                    .flushInterval(Duration.ofMillis(20)).probeInterval(Duration.ofMillis(200))
                    .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(50)).build())
                    .build()) {
                Run run = stepwise.newRun().name("through a restart").start();
                id = run.id();
                for (int i = 0; i < 5000; i++) {
                    run.log("train/loss", i * 0.5, i);
                    if (i == 2500) {
                        server.close();
                    }
                }
                for (int i = 5000; i < 8000; i++) {
                    run.log("train/loss", i * 0.5, i);
                }
                server = start(port, db, tmp.resolve("data"));
                for (int i = 8000; i < 10_000; i++) {
                    run.log("train/loss", i * 0.5, i);
                }
                await().atMost(Duration.ofSeconds(90)).until(() -> stepwise.flush(Duration.ofSeconds(5)));
                run.finish();
                assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
                Stats stats = stepwise.stats();
                assertThat(stats.dropped()).isZero();
                assertThat(stats.uploaded() + stats.replayed()).isEqualTo(10_000);
            }
            var summary = api.get("/api/v1/projects/restart/runs/" + id + "/summary", admin).json().get("train/loss");
            assertThat(summary.get("n").asLong()).isEqualTo(10_000);
            assertThat(summary.get("last").asDouble()).isEqualTo(9999 * 0.5);
            var series = api.get("/api/v1/projects/restart/runs/" + id + "/series?key=train/loss&maxPoints=10000",
                    admin).json().get("points").get("x");
            HashSet<Long> steps = new HashSet<>();
            series.forEach(x -> steps.add(x.asLong()));
            assertThat(series.size()).isEqualTo(10_000);
            assertThat(steps).hasSize(10_000);
            assertThat(api.get("/api/v1/projects/restart/runs/" + id, admin).json().get("status").asString())
                    .isEqualTo("FINISHED");
        } finally {
            server.close();
        }
    }
}
