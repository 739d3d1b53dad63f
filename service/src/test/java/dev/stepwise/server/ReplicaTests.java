package dev.stepwise.server;

import static dev.stepwise.server.support.TrackingFixtures.batch;
import static dev.stepwise.server.support.TrackingFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.stepwise.server.run.RunService;
import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two service replicas on one database, as the Helm chart runs them: uploads to the same run
 * through both at once lose no summary update and store no batch twice, both crash sweepers
 * running together are harmless, and a browser session started on one works on the other.
 */
class ReplicaTests extends ApiTest {

    @Autowired
    Environment env;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RunService runService;

    private ConfigurableApplicationContext replica;
    private Api other;

    @BeforeEach
    void startSecondReplica() {
        replica = new SpringApplicationBuilder(StepwiseApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + env.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + env.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + env.getProperty("spring.datasource.password"),
                "--spring.datasource.hikari.maximum-pool-size=8",
                "--stepwise.admin.password=" + env.getProperty("stepwise.admin.password"),
                "--stepwise.data-dir=" + Path.of("target", "test-data-replica").toAbsolutePath());
        other = new Api(Integer.parseInt(replica.getEnvironment().getProperty("local.server.port")));
    }

    @AfterEach
    void stopSecondReplica() {
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    @Timeout(180)
    void uploadsThroughBothReplicasAreStoredExactlyOnceWithExactSummaries() throws Exception {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        String path = runPath(slug, run) + "/metrics";
        int batches = 10;
        List<byte[]> bodies = new ArrayList<>();
        double sum = 0;
        for (int b = 0; b < batches; b++) {
            List<Map<String, Object>> pts = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                double v = Math.sin(b * 2000 + i) * 10;
                sum += v;
                pts.add(point("train/loss", b * 2000L + i, v, b));
            }
            bodies.add(Api.JSON.writeValueAsBytes(batch("replica-batch-" + b, pts)));
        }
        // Every batch goes to both replicas at once, twice: 40 requests, 10 batches to store.
        List<Api> targets = List.of(api, other);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Api.Response> responses = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (int b = 0; b < batches; b++) {
                    for (Api target : targets) {
                        byte[] body = bodies.get(b);
                        futures.add(pool.submit(() -> {
                            start.await();
                            return target.post(path, ADMIN, body);
                        }));
                    }
                }
            }
            start.countDown();
            for (Future<Api.Response> f : futures) {
                responses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
        assertThat(responses.stream().filter(r -> !r.json().get("duplicate").asBoolean()).count()).isEqualTo(batches);

        for (Api target : targets) {
            var summary = target.get(runPath(slug, run) + "/summary", ADMIN).json().get("train/loss");
            assertThat(summary.get("n").asLong()).isEqualTo(20_000);
            assertThat(summary.get("mean").asDouble()).isCloseTo(sum / 20_000, within(1e-9));
            assertThat(summary.get("last_step").asLong()).isEqualTo(19_999);
        }
        List<Long> stored = jdbc.queryForObject("select count(*), count(distinct p.seq) from metric_points p "
                + "join metric_series s on s.id = p.series_id where s.run_id = ?",
                (rs, i) -> List.of(rs.getLong(1), rs.getLong(2)), UUID.fromString(run));
        assertThat(stored).containsExactly(20_000L, 20_000L);
        assertThat(jdbc.queryForObject("select count(*) from ingest_batches where run_id = ?", Long.class,
                UUID.fromString(run))).isEqualTo(batches);
        var epochs = other.get(runPath(slug, run) + "/epochs?key=train/loss", ADMIN).json().get("epochs");
        assertThat(epochs).hasSize(batches);
        epochs.forEach(e -> assertThat(e.get("n").asLong()).isEqualTo(2000));
    }

    @Test
    @Timeout(120)
    void bothCrashSweepersAtOnceMarkAStaleRunAndActivityThroughEitherBringsItBack() throws Exception {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        jdbc.update("update runs set active_at = ? where id = ?", java.sql.Timestamp.from(
                Instant.now().minus(Duration.ofHours(1))), UUID.fromString(run));
        RunService otherSweeper = replica.getBean(RunService.class);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int marked;
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<Integer> a = pool.submit(() -> {
                start.await();
                return runService.sweepCrashedRuns();
            });
            Future<Integer> b = pool.submit(() -> {
                start.await();
                return otherSweeper.sweepCrashedRuns();
            });
            start.countDown();
            marked = a.get() + b.get();
        } finally {
            pool.shutdownNow();
        }
        // Other tests' runs may be stale too, so the count is at least this one.
        assertThat(marked).isGreaterThanOrEqualTo(1);
        assertThat(api.get(runPath(slug, run), ADMIN).json().get("status").asString()).isEqualTo("CRASHED");
        assertThat(other.post(runPath(slug, run) + "/heartbeat", ADMIN, null).status()).isEqualTo(204);
        assertThat(api.get(runPath(slug, run), ADMIN).json().get("status").asString()).isEqualTo("RUNNING");
    }

    @Test
    void aBrowserSessionStartedOnOneReplicaWorksOnTheOtherUntilLogoutOnEither() {
        var user = createUser("roaming");
        Api.Session session = api.login(user.username(), user.password());
        Api.Response me = other.get("/api/v1/me", session);
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("username").asString()).isEqualTo(user.username());
        // A state-changing request with the session's CSRF token, on the replica that did not log it in.
        assertThat(other.post("/api/v1/projects", session, Map.of("slug", Api.unique("roam"), "name", "Roam"))
                .status()).isEqualTo(201);
        assertThat(jdbc.queryForObject("select max_inactive_interval from spring_session where principal_name = ?",
                Integer.class, user.username())).isEqualTo(12 * 3600);
        assertThat(other.post("/api/v1/auth/logout", session, null).status()).isEqualTo(204);
        assertThat(jdbc.queryForObject("select count(*) from spring_session where principal_name = ?", Long.class,
                user.username())).isZero();
        assertThat(api.get("/api/v1/me", session).status()).isEqualTo(401);
        assertThat(other.get("/api/v1/me", session).status()).isEqualTo(401);
    }

    @Test
    void apiKeysAndHttpBasicCreateNoSessions() {
        String slug = createProject(ADMIN);
        var key = createKey(slug, "read");
        long before = jdbc.queryForObject("select count(*) from spring_session", Long.class);
        for (int i = 0; i < 3; i++) {
            assertThat(api.get("/api/v1/me", ADMIN).headers().getOrDefault("set-cookie", List.of()))
                    .noneMatch(c -> c.startsWith("STEPWISE_SESSION="));
            Api.Response withKey = other.get("/api/v1/projects/" + slug, key.auth());
            assertThat(withKey.status()).isEqualTo(200);
            assertThat(withKey.headers().getOrDefault("set-cookie", List.of()))
                    .noneMatch(c -> c.startsWith("STEPWISE_SESSION="));
        }
        assertThat(jdbc.queryForObject("select count(*) from spring_session", Long.class)).isEqualTo(before);
    }
}
