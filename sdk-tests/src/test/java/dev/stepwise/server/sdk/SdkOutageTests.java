package dev.stepwise.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.client.Run;
import dev.stepwise.client.Stats;
import dev.stepwise.client.Stepwise;
import dev.stepwise.server.StepwiseApplication;
import dev.stepwise.server.support.Api;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The outage a trainer on a throw-away machine must survive: while it logs 4 keys × 40,000 steps
 * over about 20 s, the service process is killed (SIGKILL, as a crashed pod) 3 s in and relaunched
 * 3 s later on the same port (a cold start: it answers again some 15-20 s after the kill); in the second case its PostgreSQL is killed
 * too and restarted from its data directory. The trainer then finishes the run and flushes with a
 * generous timeout, using the SDK's defaults otherwise: the flush answers true and every point is
 * stored exactly once, without {@code stepwise-cli sync}.
 *
 * <p>The service runs as a child JVM on this test's class path, so that it can really be killed;
 * the database is an embedded PostgreSQL this test owns, on a fixed port and data directory.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SdkOutageTests {

    private static final String PASSWORD = "outage-admin-password";
    private static final String[] KEYS = {"train/loss", "train/acc", "val/loss", "lr"};
    private static final int STEPS = 40_000;
    private static final long TRAIN_NANOS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    static Path tmp;

    static int dbPort;
    static int port;
    static EmbeddedPostgres postgres;
    static Process service;
    static Api api;
    static String key;

    @BeforeAll
    static void startDatabaseAndService() throws Exception {
        dbPort = freePort();
        port = freePort();
        postgres = startDatabase();
        service = startService();
        api = new Api(port);
        Api.Basic admin = new Api.Basic("admin", PASSWORD);
        assertThat(api.post("/api/v1/projects", admin, Map.of("slug", "outage", "name", "Outage")).status())
                .isEqualTo(201);
        key = api.post("/api/v1/projects/outage/api-keys", admin, Map.of("name", "trainer", "scope", "write"))
                .json().get("key").asString();
    }

    @AfterAll
    static void stopAll() throws IOException {
        if (service != null) {
            service.destroyForcibly();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void serviceKilledAndRestartedMidRunLosesNothing() throws Exception {
        trainThroughAnOutage(false);
    }

    @Test
    void serviceAndDatabaseKilledAndRestartedMidRunLoseNothing() throws Exception {
        trainThroughAnOutage(true);
    }

    private void trainThroughAnOutage(boolean killDatabase) throws Exception {
        UUID id;
        Stats stats;
        long flushMillis;
        boolean flushed;
        try (Stepwise stepwise = Stepwise.builder().environment(Map.of()).baseUrl(api.baseUrl()).apiKey(key)
                .project("outage").spoolDir(tmp.resolve("spool-" + killDatabase)).shutdownHook(false).build()) {
            Run run = stepwise.newRun().name(killDatabase ? "service and database killed" : "service killed")
                    .start();
            id = run.id();
            CompletableFuture<Void> restarted = null;
            long start = System.nanoTime();
            for (int step = 0; step < STEPS; step++) {
                for (int k = 0; k < KEYS.length; k++) {
                    run.log(KEYS[k], step * 0.001 + k, step);
                }
                if (step == 6_000) {
                    kill(killDatabase);
                }
                if (step == 12_000) {
                    // Relaunched 3 s after the kill, the service (a cold JVM) is back about 15-20 s
                    // after it died on an idle machine, later on a busy one.
                    restarted = CompletableFuture.runAsync(() -> restart(killDatabase));
                }
                if (restarted != null && restarted.isCompletedExceptionally()) {
                    restarted.join();
                }
                if (step % 200 == 0) {
                    // The trainer's own pace: 40,000 steps spread over about 20 s.
                    long due = start + TRAIN_NANOS * step / STEPS;
                    LockSupport.parkNanos(due - System.nanoTime());
                }
            }
            run.finish();
            long flushStart = System.nanoTime();
            CompletableFuture<Boolean> flush = CompletableFuture.supplyAsync(() -> stepwise.flush(Duration.ofSeconds(180)));
            // A restart that failed fails the test now rather than after the flush timeout.
            CompletableFuture.anyOf(flush, restarted.thenCompose(done -> new CompletableFuture<>())).join();
            flushed = flush.join();
            flushMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - flushStart);
            stats = stepwise.stats();
            System.out.printf("outage (database killed: %s): flush %s after %d ms, %s%n", killDatabase, flushed,
                    flushMillis, stats);
            restarted.join();
        }
        assertThat(flushed).as("flush after %d ms, %s", flushMillis, stats).isTrue();
        assertThat(stats.dropped()).isZero();
        assertThat(stats.spooled()).as("the outage went through the spool").isPositive();
        assertThat(stats.uploaded() + stats.replayed()).isEqualTo((long) KEYS.length * STEPS);
        assertThat(Files.list(tmp.resolve("spool-" + killDatabase))
                .filter(f -> f.getFileName().toString().endsWith(".json")).toList()).isEmpty();
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"))) {
            for (String k : KEYS) {
                assertThat(storedSteps(c, id, k)).as(k).containsExactly((long) STEPS, (long) STEPS, 0L, STEPS - 1L);
            }
            assertThat(status(c, id)).isEqualTo("FINISHED");
        }
    }

    /** count(*), count(distinct step), min(step), max(step) of one key's stored points. */
    private static List<Long> storedSteps(Connection c, UUID run, String key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*), count(distinct p.step), min(p.step), "
                + "max(p.step) from metric_points p join metric_series m on m.id = p.series_id "
                + "where m.run_id = ? and m.key = ?")) {
            s.setObject(1, run);
            s.setString(2, key);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                List<Long> out = new ArrayList<>();
                for (int i = 1; i <= 4; i++) {
                    out.add(r.getLong(i));
                }
                return out;
            }
        }
    }

    private static String status(Connection c, UUID run) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select status from runs where id = ?")) {
            s.setObject(1, run);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getString(1);
            }
        }
    }

    private static void kill(boolean database) {
        service.destroyForcibly();
        await().atMost(Duration.ofSeconds(10)).until(() -> !service.isAlive());
        if (database) {
            killDatabase();
        }
    }

    private static void restart(boolean database) {
        try {
            if (database) {
                postgres = startDatabase();
            }
            service = startService();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILLs the postmaster and every backend, as a crashed database host would. */
    private static void killDatabase() {
        try {
            Path pidFile = tmp.resolve("postgres").resolve("postmaster.pid");
            long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            List<ProcessHandle> all = new ArrayList<>(postmaster.descendants().toList());
            all.add(postmaster);
            all.forEach(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
            // Releases the library's lock on the data directory; the server it would stop is gone.
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EmbeddedPostgres startDatabase() throws IOException {
        Path dataDir = tmp.resolve("postgres");
        Files.createDirectories(dataDir);
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(dbPort)
                .setServerConfig("synchronous_commit", "on").start();
    }

    private static Process startService() throws IOException {
        Path log = tmp.resolve("service.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", ManagementFactory.getRuntimeMXBean().getClassPath(),
                StepwiseApplication.class.getName(), "--server.port=" + port,
                "--spring.datasource.url=jdbc:postgresql://localhost:" + dbPort + "/postgres",
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--stepwise.admin.password=" + PASSWORD, "--stepwise.data-dir=" + tmp.resolve("data"),
                "--logging.level.root=WARN");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Api probe = new Api(port);
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> {
                    assertThat(p.isAlive()).as("service process, see %s", log).isTrue();
                    return probe.get("/actuator/health/readiness", Api.ANONYMOUS).status() == 200;
                });
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
