package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.stepwise.client.cli.Main;
import dev.stepwise.client.internal.ClientInternals;
import dev.stepwise.client.testing.FakeStepwiseServer;
import dev.stepwise.client.testing.FakeStepwiseServer.Fault;
import dev.stepwise.client.testing.FakeStepwiseServer.StoredPoint;
import dev.stepwise.client.testing.RecordingSleeper;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StepwiseTests {

    @TempDir
    Path tmp;

    FakeStepwiseServer server;
    RecordingSleeper sleeper = new RecordingSleeper();
    Path spool;

    @BeforeEach
    void startServer() throws IOException {
        server = FakeStepwiseServer.startOnFreePort();
        spool = tmp.resolve("spool");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private Stepwise.Builder client() {
        return Stepwise.builder()
                .environment(Map.of())
                .baseUrl(server.url())
                .apiKey("sw_test")
                .project("vision")
                .spoolDir(spool)
                .shutdownHook(false)
                .closeTimeout(Duration.ofSeconds(3))
                .flushInterval(Duration.ofMillis(20))
                .heartbeatInterval(Duration.ZERO)
                .probeInterval(Duration.ZERO)
                .requestTimeout(Duration.ofSeconds(5))
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100)).build())
                .sleeper(sleeper);
    }

    private static List<Path> spoolFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
    }

    private static Set<String> keyStepValues(List<StoredPoint> points) {
        return points.stream().map(p -> p.key() + "@" + p.step() + "=" + p.value()).collect(Collectors.toSet());
    }

    private static int sync(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return Main.execute(args, env, new PrintStream(out), new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void uploadsEveryPointOnceGzippedWithBearerKeyAndBatchId() throws IOException {
        try (Stepwise stepwise = client().batchSize(100).build()) {
            Run run = stepwise.newRun().name("baseline").group("lr-sweep").tags("cnn", "fast")
                    .config("lr", 0.01).config(Map.of("optimizer", "adam")).start();
            run.setEpoch(2);
            for (int i = 0; i < 1000; i++) {
                run.log("train/loss", 1.0 / (i + 1), i);
            }
            assertThat(stepwise.flush(Duration.ofSeconds(20))).isTrue();

            List<StoredPoint> stored = server.points(run.id().toString());
            assertThat(stored).hasSize(1000);
            assertThat(stored.stream().map(StoredPoint::step).distinct()).hasSize(1000);
            assertThat(stored).allSatisfy(p -> assertThat(p.epoch()).isEqualTo(2L));
            assertThat(server.receivedBatchIds()).hasSizeGreaterThanOrEqualTo(10).doesNotHaveDuplicates()
                    .allSatisfy(id -> assertThat(id).isNotBlank().hasSizeLessThanOrEqualTo(64));
            FakeStepwiseServer.Request upload = server.requests().stream()
                    .filter(r -> r.path().endsWith("/metrics")).findFirst().orElseThrow();
            assertThat(upload.headers()).containsEntry("content-encoding", "gzip")
                    .containsEntry("authorization", "Bearer sw_test");
            FakeStepwiseServer.StoredRun r = server.run(run.id().toString());
            assertThat(r.name).isEqualTo("baseline");
            assertThat(r.group).isEqualTo("lr-sweep");
            assertThat(r.tags).containsExactly("cnn", "fast");
            assertThat(r.config).containsEntry("lr", 0.01).containsEntry("optimizer", "adam");
            run.finish();
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(r.status).isEqualTo("FINISHED");
            assertThat(stepwise.stats().uploaded()).isEqualTo(1000);
            assertThat(stepwise.stats().pending()).isZero();
        }
        assertThat(spoolFiles(spool)).isEmpty();
    }

    @Test
    void automaticStepIsOnePastTheLastStep() {
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.log("a", 1.0);
            run.log("a", 2.0);
            run.log("b", 3.0, 10);
            run.log(Map.of("c", 4.0, "d", 5.0));
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(server.points(run.id().toString()))
                    .extracting(p -> p.key() + "@" + p.step())
                    .containsExactlyInAnyOrder("a@0", "a@1", "b@10", "c@11", "d@11");
        }
    }

    @Test
    void retryAfterSecondsIsHonored() {
        server.failMetrics(new Fault(429, "7", false), new Fault(503, "2", false));
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.log("loss", 1.0, 0);
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(2));
            assertThat(stepwise.stats().retried()).isEqualTo(2);
            assertThat(server.points(run.id().toString())).hasSize(1);
        }
    }

    @Test
    void retryAfterHttpDateIsHonoredAgainstTheInjectedClock() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
        server.failMetrics(new Fault(503, "Mon, 23 Nov 2026 12:00:42 GMT", false));
        try (Stepwise stepwise = client().clock(clock).build()) {
            Run run = stepwise.newRun().start();
            run.log("loss", 1.0, 0);
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(sleeper.waits()).containsExactly(Duration.ofSeconds(42));
            assertThat(server.points(run.id().toString())).singleElement()
                    .satisfies(p -> assertThat(p.time()).isEqualTo(clock.millis()));
        }
    }

    @Test
    void backoffGrowsExponentiallyWithoutRetryAfter() {
        server.failMetrics(new Fault(500, null, false), new Fault(500, null, false));
        try (Stepwise stepwise = client()
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100)).jitter(0)
                        .build()).build()) {
            stepwise.newRun().start().log("loss", 1.0, 0);
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(sleeper.waits()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        }
    }

    @Test
    void anArtifactWhoseAnswerWasLostIsRetriedWithTheSameIdAndStoredOnce() {
        server.failArtifacts(new Fault(503, null, true));
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.artifact("checkpoint", "s3://bucket/ckpt.bin", "model", "final weights");
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            List<FakeStepwiseServer.Request> posts = server.requests().stream()
                    .filter(r -> r.method().equals("POST") && r.path().endsWith("/artifacts")).toList();
            assertThat(posts).extracting(FakeStepwiseServer.Request::status).containsExactly(503, 200);
            assertThat(server.run(run.id().toString()).artifacts).singleElement()
                    .satisfies(a -> assertThat(a.get("id")).isInstanceOf(String.class));
        }
    }

    @Test
    void clientErrorIsNotRetriedAndTheBatchIsDroppedAndCounted() {
        server.failMetrics(new Fault(400, null, false));
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.log("loss", 1.0, 0);
            run.log("loss", 2.0, 1);
            stepwise.flush(Duration.ofSeconds(10));
            assertThat(server.metricRequests()).isEqualTo(1);
            assertThat(sleeper.waits()).isEmpty();
            assertThat(stepwise.stats().dropped()).isEqualTo(2);
            assertThat(stepwise.stats().spooled()).isZero();
        }
    }

    @Test
    void aLaterClientReplaysWhatAnEndedProcessLeftInTheSpoolExactlyOnce() throws Exception {
        server.stop();
        UUID id;
        try (Stepwise earlier = client().batchSize(100).build()) {
            Run run = earlier.newRun().name("left-behind").start();
            id = run.id();
            for (int i = 0; i < 750; i++) {
                run.log("train/loss", i, i);
            }
            run.artifact("checkpoint", "s3://bucket/ckpt.bin");
            run.finish();
            assertThat(earlier.flush(Duration.ofSeconds(5))).isFalse();
        }
        List<Path> leftovers = spoolFiles(spool);
        assertThat(leftovers).isNotEmpty();
        server.restart();

        try (Stepwise later = client().build()) {
            Run own = later.newRun().name("own").start();
            own.log("loss", 1.0, 0);
            await().atMost(Duration.ofSeconds(20)).until(() -> spoolFiles(spool).isEmpty());
            assertThat(later.flush(Duration.ofSeconds(10))).isTrue();
            // Adopted entries are not this client's points.
            assertThat(later.stats().replayed()).isZero();
            assertThat(later.stats().uploaded()).isEqualTo(1);
        }
        assertThat(server.points(id.toString())).hasSize(750);
        assertThat(server.run(id.toString()).status).isEqualTo("FINISHED");
        assertThat(server.run(id.toString()).artifacts).hasSize(1);
        // Nothing was sent twice, and the ended writer's lock file is gone with its files.
        assertThat(server.receivedBatchIds()).doesNotHaveDuplicates();
        try (Stream<Path> s = Files.list(spool)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".lock"))).isEmpty();
        }
    }

    @Test
    void filesOfAWriterThatIsStillRunningAreNotTakenOverUntilItEnds() throws Exception {
        UUID offlineRun;
        List<Path> theirs;
        // Same server and project, but offline: it only writes the spool, and keeps its lock while open.
        try (Stepwise offline = client().mode(Mode.OFFLINE).batchSize(100).build()) {
            Run run = offline.newRun().name("offline").start();
            offlineRun = run.id();
            for (int i = 0; i < 300; i++) {
                run.log("train/loss", i, i);
            }
            offline.flush(Duration.ofSeconds(5));
            theirs = spoolFiles(spool);
            assertThat(theirs).isNotEmpty();

            try (Stepwise other = client().build()) {
                Run own = other.newRun().name("own").start();
                for (int i = 0; i < 50; i++) {
                    own.log("loss", i, i);
                    assertThat(other.flush(Duration.ofSeconds(10))).isTrue();
                }
                assertThat(server.points(own.id().toString())).hasSize(50);
            }
            assertThat(spoolFiles(spool)).containsAll(theirs);
            assertThat(server.run(offlineRun.toString())).isNull();
        }
        // Once it has ended, the next client takes its files over.
        try (Stepwise next = client().build()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> spoolFiles(spool).isEmpty());
        }
        assertThat(server.points(offlineRun.toString())).hasSize(300);
        assertThat(server.run(offlineRun.toString()).status).isEqualTo("FINISHED");
    }

    @Test
    void serverDownForTheWholeRunSpoolsEverythingAndSyncUploadsExactCounts() throws Exception {
        server.stop();
        UUID id;
        try (Stepwise stepwise = client().batchSize(100).build()) {
            Run run = stepwise.newRun().name("down").group("g").tags("t1").config("lr", 0.1).start();
            id = run.id();
            for (int i = 0; i < 1234; i++) {
                run.setEpoch(i / 100);
                run.log("train/loss", i * 0.5, i);
            }
            run.artifact("checkpoint", "s3://bucket/ckpt.bin", "model", "final weights");
            run.finish();
            assertThat(stepwise.flush(Duration.ofSeconds(5))).isFalse();
        }
        assertThat(spoolFiles(spool)).isNotEmpty();
        server.restart();

        int code = sync(Map.of("STEPWISE_URL", server.url(), "STEPWISE_API_KEY", "sw_test"), "sync",
                spool.toString(), "--no-progress");

        assertThat(code).isZero();
        List<StoredPoint> stored = server.points(id.toString());
        assertThat(stored).hasSize(1234);
        assertThat(stored.stream().map(StoredPoint::step).collect(Collectors.toSet())).hasSize(1234);
        assertThat(stored).filteredOn(p -> p.step() == 250).singleElement()
                .satisfies(p -> assertThat(p.epoch()).isEqualTo(2L));
        FakeStepwiseServer.StoredRun r = server.run(id.toString());
        assertThat(r.name).isEqualTo("down");
        assertThat(r.group).isEqualTo("g");
        assertThat(r.tags).containsExactly("t1");
        assertThat(r.config).containsEntry("lr", 0.1);
        assertThat(r.status).isEqualTo("FINISHED");
        assertThat(r.artifacts).singleElement().satisfies(a -> assertThat(a).containsEntry("kind", "model"));
        assertThat(spoolFiles(spool)).isEmpty();
        // The ended client's lock file goes with its last entry.
        try (Stream<Path> s = Files.list(spool)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".lock"));
        }

        // A second sync finds nothing and changes nothing.
        assertThat(sync(Map.of("STEPWISE_URL", server.url()), "sync", spool.toString())).isZero();
        assertThat(server.points(id.toString())).hasSize(1234);
    }

    @Test
    void replayingTheSameSpoolTwiceStoresPointsOnce() throws Exception {
        server.stop();
        UUID id;
        try (Stepwise stepwise = client().mode(Mode.OFFLINE).build()) {
            Run run = stepwise.newRun().start();
            id = run.id();
            for (int i = 0; i < 100; i++) {
                run.log("x", i, i);
            }
        }
        Path copy = tmp.resolve("copy");
        Files.createDirectories(copy);
        for (Path f : spoolFiles(spool)) {
            Files.copy(f, copy.resolve(f.getFileName()));
        }
        server.restart();
        assertThat(sync(Map.of("STEPWISE_URL", server.url()), "sync", spool.toString(), "--no-progress")).isZero();
        assertThat(sync(Map.of("STEPWISE_URL", server.url()), "sync", copy.toString(), "--no-progress")).isZero();
        assertThat(server.points(id.toString())).hasSize(100);
        assertThat(server.receivedBatchIds()).hasSize(2);
    }

    @Test
    void backgroundReplayUploadsTheSpoolWhenTheServerComesBack() throws Exception {
        server.stop();
        try (Stepwise stepwise = client().batchSize(10).build()) {
            Run run = stepwise.newRun().name("comeback").start();
            for (int i = 0; i < 95; i++) {
                run.log("loss", i, i);
            }
            assertThat(stepwise.flush(Duration.ofSeconds(5))).isFalse();
            assertThat(stepwise.stats().spooled()).isEqualTo(95);
            server.restart();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(server.points(run.id().toString())).hasSize(95);
                assertThat(spoolFiles(spool)).isEmpty();
            });
            assertThat(server.run(run.id().toString()).name).isEqualTo("comeback");
            assertThat(stepwise.stats().replayed()).isEqualTo(95);
            assertThat(stepwise.flush(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void disabledModeTouchesNoNetworkAndNoDisk() {
        Path untouched = tmp.resolve("never");
        try (Stepwise stepwise = client().mode(Mode.DISABLED).spoolDir(untouched).build()) {
            Run run = stepwise.newRun().name("nothing").start();
            for (int i = 0; i < 100; i++) {
                run.log("loss", i, i);
            }
            run.artifact("a", "b");
            run.finish();
            assertThat(stepwise.flush(Duration.ofSeconds(1))).isTrue();
            assertThat(stepwise.stats().logged()).isEqualTo(100);
            assertThat(stepwise.stats().pending()).isZero();
        }
        assertThat(server.requests()).isEmpty();
        assertThat(untouched).doesNotExist();
    }

    @Test
    void environmentWordsSelectDisabledMode() {
        for (String word : List.of("false", "off", "none", "no", "disabled", "DISABLED")) {
            try (Stepwise s = Stepwise.builder().environment(Map.of("STEPWISE_MODE", word)).shutdownHook(false)
                    .build()) {
                assertThat(s.mode()).isEqualTo(Mode.DISABLED);
            }
        }
    }

    @Test
    void environmentVariablesConfigureTheClient() {
        try (Stepwise s = Stepwise.builder().environment(Map.of("STEPWISE_URL", server.url(), "STEPWISE_API_KEY",
                "sw_env", "STEPWISE_PROJECT", "envproj", "STEPWISE_MODE", "online", "STEPWISE_SPOOL_DIR",
                spool.toString())).shutdownHook(false).heartbeatInterval(Duration.ZERO).build()) {
            assertThat(s.mode()).isEqualTo(Mode.ONLINE);
            assertThat(s.project()).isEqualTo("envproj");
            assertThat(s.spoolDir()).isEqualTo(spool);
            Run run = s.newRun().start();
            run.log("x", 1, 0);
            assertThat(s.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(server.run(run.id().toString()).project).isEqualTo("envproj");
            assertThat(server.requests()).allSatisfy(r ->
                    assertThat(r.headers()).containsEntry("authorization", "Bearer sw_env"));
        }
    }

    @Test
    void offlineModeOnlyWritesTheSpool() throws Exception {
        UUID id;
        try (Stepwise stepwise = client().mode(Mode.OFFLINE).build()) {
            Run run = stepwise.newRun().name("offline").group("grp").tags("a", "b").config("lr", 0.5).start();
            id = run.id();
            for (int i = 0; i < 10; i++) {
                run.log("loss", i, i);
            }
            run.fail(new IllegalStateException("diverged"));
            assertThat(stepwise.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(server.requests()).isEmpty();
        List<Path> files = spoolFiles(spool);
        assertThat(files).extracting(p -> p.getFileName().toString().replaceAll(".*-", ""))
                .containsExactlyInAnyOrder("run.json", "metrics.json", "status.json");
        // Every spool file is a TrainLog.
        for (Path f : files) {
            TrainLog log = TrainLog.read(f);
            assertThat(log.note("run_id")).contains(id.toString());
            assertThat(log.note("project")).contains("vision");
        }
        TrainLog runLog = TrainLog.read(files.stream().filter(f -> f.toString().endsWith("run.json")).findFirst()
                .orElseThrow());
        assertThat(runLog.notes()).contains("run_name=offline", "group=grp", "tags=a,b", "config.lr=0.5");

        assertThat(sync(Map.of("STEPWISE_URL", server.url()), "sync", spool.toString(), "--no-progress")).isZero();
        FakeStepwiseServer.StoredRun r = server.run(id.toString());
        assertThat(r.name).isEqualTo("offline");
        assertThat(r.status).isEqualTo("FAILED");
        assertThat(server.points(id.toString())).hasSize(10);
    }

    @Test
    void nanAndInfinitiesSurviveTheSpoolAsRealPoints() throws Exception {
        UUID id;
        try (Stepwise stepwise = client().mode(Mode.OFFLINE).build()) {
            Run run = stepwise.newRun().start();
            id = run.id();
            run.log("loss", Double.NaN, 0);
            run.log("loss", Double.POSITIVE_INFINITY, 1);
            run.log("loss", Double.NEGATIVE_INFINITY, 2);
            run.log("loss", 0.25, 3);
            run.log("acc", 0.5, 3);
            run.log("loss", 0.125, 3);
        }
        Path metrics = spoolFiles(spool).stream().filter(f -> f.toString().endsWith("metrics.json")).findFirst()
                .orElseThrow();
        TrainLog view = TrainLog.read(metrics);
        assertThat(view.steps()).containsExactly(0, 1, 2, 3);
        assertThat(view.series()).extracting(TrainLog.Series::name).containsExactly("loss", "acc");
        assertThat(view.series().get(1).values()).containsExactly(Double.NaN, Double.NaN, Double.NaN, 0.5);

        assertThat(sync(Map.of("STEPWISE_URL", server.url()), "sync", spool.toString(), "--no-progress")).isZero();
        List<StoredPoint> stored = server.points(id.toString());
        assertThat(stored).extracting(p -> p.key() + "@" + p.step() + "=" + p.value()).containsExactly(
                "loss@0=NaN", "loss@1=Infinity", "loss@2=-Infinity", "loss@3=0.25", "acc@3=0.5", "loss@3=0.125");
    }

    @Test
    void nanAndInfinitiesAreUploadedAsSentinels() {
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.log("v", Double.NaN, 0);
            run.log("v", Double.POSITIVE_INFINITY, 1);
            run.log("v", Double.NEGATIVE_INFINITY, 2);
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(keyStepValues(server.points(run.id().toString())))
                    .containsExactlyInAnyOrder("v@0=NaN", "v@1=Infinity", "v@2=-Infinity");
        }
    }

    @Test
    void fullQueueOverflowsToTheSpoolInsteadOfDropping() throws Exception {
        server.closeGate();
        UUID id;
        long logged = 25_000;
        try (Stepwise stepwise = client().batchSize(100).queueCapacity(200).build()) {
            Run run = stepwise.newRun().start();
            id = run.id();
            try {
                for (int i = 0; i < logged; i++) {
                    run.log("x", i, i);
                }
                // Overflow is spooled in chunks of 10,000 points by a background spooler.
                await().atMost(Duration.ofSeconds(10)).until(() -> stepwise.stats().spooled() >= 20_000);
            } finally {
                server.openGate();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> stepwise.flush(Duration.ofSeconds(2)));
            Stats stats = stepwise.stats();
            assertThat(stats.dropped()).isZero();
            assertThat(stats.logged()).isEqualTo(logged);
            assertThat(stats.uploaded() + stats.replayed()).isEqualTo(logged);
        }
        assertThat(server.points(id.toString())).hasSize((int) logged);
        assertThat(server.points(id.toString()).stream().map(StoredPoint::step).collect(Collectors.toSet()))
                .hasSize((int) logged);
    }

    @Test
    void spoolBeyondItsByteCapDropsAndCounts() {
        try (Stepwise stepwise = client().mode(Mode.OFFLINE).batchSize(100).spoolMaxBytes(5_000).build()) {
            Run run = stepwise.newRun().start();
            for (int i = 0; i < 1000; i++) {
                run.log("train/loss", i, i);
            }
            stepwise.flush(Duration.ofSeconds(5));
            Stats stats = stepwise.stats();
            assertThat(stats.dropped()).isGreaterThan(0);
            assertThat(stats.spooled() + stats.dropped()).isEqualTo(1000);
        }
    }

    @Test
    void invalidPointsAreDroppedAndCountedWithoutThrowing() {
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.log(null, 1.0, 0);
            run.log("", 1.0, 0);
            run.log("x".repeat(251), 1.0, 0);
            run.log("bad\nkey", 1.0, 0);
            run.log("ok", 1.0, -1);
            run.log("ok", 1.0, 5);
            run.finish();
            run.log("ok", 1.0, 6);
            assertThat(stepwise.flush(Duration.ofSeconds(10))).as("something was dropped").isFalse();
            assertThat(stepwise.stats().dropped()).isEqualTo(6);
            assertThat(stepwise.stats().droppedReasons()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("invalid key", 4L, "negative step", 1L, "run already ended", 1L));
            assertThat(server.points(run.id().toString())).hasSize(1);
        }
    }

    @Test
    void closeWaitsForAServerThatComesBackBeforeItsDeadline() throws Exception {
        Stepwise stepwise = client().batchSize(100).closeTimeout(Duration.ofSeconds(60)).build();
        Run run = stepwise.newRun().name("closing through an outage").start();
        server.stop();
        for (int i = 0; i < 500; i++) {
            run.log("loss", i, i);
        }
        java.util.concurrent.CompletableFuture<Void> closed =
                java.util.concurrent.CompletableFuture.runAsync(stepwise::close);
        await().atMost(Duration.ofSeconds(20)).until(() -> stepwise.stats().spooled() > 0);
        assertThat(closed).isNotDone();
        server.restart();
        closed.get(30, TimeUnit.SECONDS);
        assertThat(server.points(run.id().toString())).hasSize(500);
        assertThat(server.run(run.id().toString()).status).isEqualTo("FINISHED");
        assertThat(spoolFiles(spool)).isEmpty();
    }

    @Test
    void aBacklogIsReplayedInTheBackgroundWhileTheRunGoesOn() throws Exception {
        try (Stepwise stepwise = client().batchSize(100).build()) {
            Run run = stepwise.newRun().name("catching up").start();
            server.stop();
            for (int i = 0; i < 5000; i++) {
                run.log("loss", i, i);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> stepwise.stats().spooled() == 5000);
            server.restart();
            for (int i = 5000; i < 6000; i++) {
                run.log("loss", i, i);
            }
            // No flush: the worker catches up on its own, batches of the live run interleaved.
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> server.points(run.id().toString()).size() == 6000 && spoolFiles(spool).isEmpty());
            assertThat(server.receivedBatchIds()).doesNotHaveDuplicates();
            // Batches logged before the first successful probe are spooled too.
            assertThat(stepwise.stats().replayed()).isGreaterThanOrEqualTo(5000);
            assertThat(stepwise.stats().uploaded() + stepwise.stats().replayed()).isEqualTo(6000);
        }
    }

    @Test
    void configValuesThatAreNotJsonCompatibleAreRefusedAtOnce() {
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            assertThatThrownBy(() -> run.config("bad", new Object())).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aRunTheServerRefusesFailsAtStartWithItsReason() {
        server.failEverything(404);
        try (Stepwise stepwise = client().build()) {
            assertThatThrownBy(() -> stepwise.newRun().name("nowhere").start())
                    .isInstanceOf(StepwiseException.class)
                    .hasMessageContaining("HTTP 404")
                    .hasMessageContaining("vision");
            assertThat(sleeper.waits()).isEmpty();
        } finally {
            server.recover();
        }
    }

    @Test
    void closeTimeoutDefaultsTo120SecondsAndComesFromTheEnvironment() {
        Map<String, Duration> cases = Map.of("90s", Duration.ofSeconds(90), "2m", Duration.ofMinutes(2),
                "45", Duration.ofSeconds(45), "500ms", Duration.ofMillis(500), "PT3M", Duration.ofMinutes(3));
        cases.forEach((text, expected) -> {
            try (Stepwise s = Stepwise.builder().environment(Map.of("STEPWISE_CLOSE_TIMEOUT", text))
                    .mode(Mode.DISABLED).build()) {
                assertThat(ClientInternals.engine(s).settings().closeTimeout()).as(text).isEqualTo(expected);
            }
        });
        try (Stepwise s = Stepwise.builder().environment(Map.of()).mode(Mode.DISABLED).build()) {
            assertThat(ClientInternals.engine(s).settings().closeTimeout()).isEqualTo(Duration.ofSeconds(120));
        }
        assertThatThrownBy(() -> Stepwise.builder().environment(Map.of("STEPWISE_CLOSE_TIMEOUT", "soon"))
                .mode(Mode.DISABLED).build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("soon");
    }

    @Test
    void resumedRunContinuesAfterTheServersLastStep() {
        UUID id = UUID.randomUUID();
        try (Stepwise stepwise = client().build()) {
            Run first = stepwise.newRun().id(id).name("resumable").start();
            for (int i = 0; i < 10; i++) {
                first.log("loss", i);
            }
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
        }
        try (Stepwise stepwise = client().build()) {
            Run again = stepwise.newRun().id(id).start();
            assertThat(again.lastStep()).isEqualTo(9);
            again.log("loss", 10.0);
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(server.points(id.toString())).extracting(StoredPoint::step).contains(10L).hasSize(11);
        assertThat(server.runs()).hasSize(1);
    }

    @Test
    void runBodyThatThrowsMarksTheRunFailedAndRethrows() {
        try (Stepwise stepwise = client().build()) {
            RunSpec spec = RunSpec.builder().id(UUID.randomUUID()).name("boom").build();
            assertThatThrownBy(() -> stepwise.run(spec, r -> {
                r.log("loss", 1.0, 0);
                throw new IllegalStateException("diverged");
            })).isInstanceOf(IllegalStateException.class).hasMessage("diverged");
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            FakeStepwiseServer.StoredRun r = server.run(spec.id().orElseThrow().toString());
            assertThat(r.status).isEqualTo("FAILED");
            assertThat(server.points(r.id)).hasSize(1);
        }
    }

    @Test
    void runBodyThatCompletesFinishesTheRun() throws Exception {
        try (Stepwise stepwise = client().build()) {
            UUID id = UUID.randomUUID();
            stepwise.run(RunSpec.builder().id(id).build(), r -> r.log("loss", 1.0, 0));
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(server.run(id.toString()).status).isEqualTo("FINISHED");
        }
    }

    @Test
    void heartbeatsAreSentWhileTheRunIsOpenAndStopAfterFinish() {
        try (Stepwise stepwise = client().heartbeatInterval(Duration.ofMillis(50)).build()) {
            Run run = stepwise.newRun().start();
            FakeStepwiseServer.StoredRun r = server.run(run.id().toString());
            await().atMost(Duration.ofSeconds(10)).until(() -> r.heartbeats.get() >= 3);
            run.finish();
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            int after = r.heartbeats.get();
            await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .untilAsserted(() -> assertThat(r.heartbeats.get()).isLessThanOrEqualTo(after + 1));
        }
    }

    @Test
    void abandonedClientStopsHeartbeatsWithoutChangingTheStatus() {
        Stepwise stepwise = client().heartbeatInterval(Duration.ofMillis(50)).build();
        Run run = stepwise.newRun().start();
        FakeStepwiseServer.StoredRun r = server.run(run.id().toString());
        await().atMost(Duration.ofSeconds(10)).until(() -> r.heartbeats.get() >= 1);
        ClientInternals.engine(stepwise).abandon();
        int after = r.heartbeats.get();
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(r.heartbeats.get()).isLessThanOrEqualTo(after + 1));
        assertThat(r.status).isEqualTo("RUNNING");
    }

    @Test
    void closeFinishesOpenRunsAndIsIdempotent() {
        Stepwise stepwise = client().build();
        Run a = stepwise.newRun().start();
        Run b = stepwise.newRun().start();
        a.log("x", 1, 0);
        b.log("x", 2, 0);
        stepwise.close();
        stepwise.close();
        assertThat(server.run(a.id().toString()).status).isEqualTo("FINISHED");
        assertThat(server.run(b.id().toString()).status).isEqualTo("FINISHED");
        assertThat(server.points()).hasSize(2);
        assertThat(a.isOpen()).isFalse();
        assertThatThrownBy(() -> stepwise.newRun().start()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeWithTheServerDownSpoolsWithinTheDeadline() throws Exception {
        server.failEverything(503);
        Stepwise stepwise = client().sleeper(Sleeper.system())
                .retryPolicy(RetryPolicy.builder().maxAttempts(100).initialBackoff(Duration.ofMillis(200)).build())
                .build();
        Run run = stepwise.newRun().start();
        for (int i = 0; i < 50; i++) {
            run.log("x", i, i);
        }
        long t0 = System.nanoTime();
        stepwise.close(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        assertThat(stepwise.stats().spooled()).isEqualTo(50);
        assertThat(stepwise.stats().pending()).isZero();
        server.recover();
        assertThat(sync(Map.of("STEPWISE_URL", server.url()), "sync", spool.toString(), "--no-progress")).isZero();
        assertThat(server.points(run.id().toString())).hasSize(50);
        assertThat(server.run(run.id().toString()).status).isEqualTo("FINISHED");
    }

    @Test
    void shutdownHookMarksOpenRunsKilledAndFlushesWhenTheJvmExits() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.stepwise.client.testing.ExitingTrainer", server.url(), spool.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String id = out.lines().filter(l -> l.matches("[0-9a-f-]{36}")).findFirst().orElseThrow();
        assertThat(server.run(id).status).isEqualTo("KILLED");
        assertThat(server.points(id)).hasSize(100);
        assertThat(spoolFiles(spool)).isEmpty();
    }

    @Test
    void artifactsAreRecorded() {
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.artifact("checkpoint", "s3://bucket/ckpt.bin", "model", "final weights");
            run.artifact("plot", "plots/loss.png");
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(server.run(run.id().toString()).artifacts)
                    .extracting(a -> a.get("name") + "|" + a.get("uri") + "|" + a.get("kind") + "|" + a.get("description"))
                    .containsExactly("checkpoint|s3://bucket/ckpt.bin|model|final weights", "plot|plots/loss.png|null|null");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void concurrentLoggersLoseAndDuplicateNothingWhileTheServerFlaps() throws Exception {
        int threads = 4;
        int perThread = 5000;
        try (Stepwise stepwise = client().batchSize(500).queueCapacity(2000).build()) {
            Run run = stepwise.newRun().start();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String key = "worker" + t;
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        run.log(key, i, i);
                    }
                });
                th.start();
                workers.add(th);
            }
            server.failMetrics(new Fault(503, null, true), new Fault(500, null, false), new Fault(503, "0", true));
            go.countDown();
            for (Thread th : workers) {
                th.join();
            }
            await().atMost(Duration.ofSeconds(40)).until(() -> stepwise.flush(Duration.ofSeconds(2)));
            assertThat(stepwise.stats().dropped()).isZero();
        }
        List<StoredPoint> stored = server.points();
        assertThat(stored).hasSize(threads * perThread);
        assertThat(keyStepValues(stored)).hasSize(threads * perThread);
    }
}
