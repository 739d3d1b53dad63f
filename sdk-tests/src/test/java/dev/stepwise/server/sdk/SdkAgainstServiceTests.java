package dev.stepwise.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stepwise.client.Mode;
import dev.stepwise.client.RetryPolicy;
import dev.stepwise.client.Run;
import dev.stepwise.client.Sleeper;
import dev.stepwise.client.Stats;
import dev.stepwise.client.Stepwise;
import dev.stepwise.client.StepwiseException;
import dev.stepwise.client.cli.Main;
import dev.stepwise.client.internal.ClientInternals;
import dev.stepwise.server.sdk.FaultInjectingProxy.Fault;
import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The Java SDK against the real service and PostgreSQL: exactly-once uploads through failures,
 * spool and sync, Retry-After, non-retried 4xx, the modes, heartbeats and crash detection, and
 * non-finite values. A {@link FaultInjectingProxy} sits between the SDK and the service to take the
 * service off the network and to inject failures; waits are injected, never slept.
 */
@TestPropertySource(properties = {"stepwise.runs.crash-after=2s", "stepwise.runs.sweep-interval=200ms"})
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SdkAgainstServiceTests extends ApiTest {

    @TempDir
    Path tmp;

    FaultInjectingProxy proxy;
    String slug;
    Api.Bearer writeKey;
    Path spool;
    final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    final Sleeper recordingSleeper = waits::add;

    @BeforeEach
    void setUp() throws IOException {
        proxy = new FaultInjectingProxy(port);
        slug = createProject(ADMIN);
        writeKey = createKey(slug, "write").auth();
        spool = tmp.resolve("spool");
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    private Stepwise.Builder client() {
        return Stepwise.builder()
                .environment(Map.of())
                .baseUrl(proxy.url())
                .apiKey(writeKey.key())
                .project(slug)
                .spoolDir(spool)
                .shutdownHook(false)
                .closeTimeout(Duration.ofSeconds(3))
                .flushInterval(Duration.ofMillis(20))
                .heartbeatInterval(Duration.ofMillis(300))
                .probeInterval(Duration.ZERO)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100)).build())
                .sleeper(recordingSleeper);
    }

    private JsonNode run(UUID id) {
        Api.Response r = api.get(runPath(slug, id.toString()), ADMIN);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    /** Every stored point of one key, as "step=value" strings, from the raw series. */
    private List<String> stored(UUID id, String key) {
        Api.Response r = api.get(runPath(slug, id.toString()) + "/series?key=" + key + "&maxPoints=10000", ADMIN);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode points = r.json().get("points");
        assertThat(r.json().get("downsampled").asBoolean()).isFalse();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < points.get("x").size(); i++) {
            out.add(points.get("x").get(i).asLong() + "=" + points.get("y").get(i).asString());
        }
        return out;
    }

    private long count(UUID id, String key) {
        for (JsonNode m : api.get(runPath(slug, id.toString()) + "/metrics", ADMIN).json().get("metrics")) {
            if (m.get("key").asString().equals(key)) {
                return m.get("n").asLong();
            }
        }
        return 0;
    }

    private int sync(Path dir) {
        return Main.execute(new String[] {"sync", dir.toString(), "--no-progress"},
                Map.of("STEPWISE_URL", api.baseUrl(), "STEPWISE_API_KEY", writeKey.key()),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()));
    }

    private static List<Path> spoolFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).toList();
        }
    }

    @Test
    void aTrainerKilledWhileTheServiceWasAwayIsCompletedByTheNextTrainer() throws Exception {
        UUID killed;
        Stepwise first = client().batchSize(100).build();
        Run run = first.newRun().name("killed").start();
        killed = run.id();
        for (int i = 0; i < 500; i++) {
            run.log("train/loss", i, i);
        }
        assertThat(first.flush(Duration.ofSeconds(30))).isTrue();
        proxy.stop();
        for (int i = 500; i < 1500; i++) {
            run.log("train/loss", i, i);
        }
        assertThat(first.flush(Duration.ofSeconds(10))).isFalse();
        ClientInternals.engine(first).abandon();
        assertThat(spoolFiles(spool)).isNotEmpty();
        proxy.start();

        try (Stepwise next = client().build()) {
            Run own = next.newRun().name("next").start();
            own.log("loss", 1.0, 0);
            await().atMost(Duration.ofSeconds(60)).until(() -> spoolFiles(spool).isEmpty());
            assertThat(next.flush(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(count(killed, "train/loss")).isEqualTo(1500);
        List<String> points = stored(killed, "train/loss");
        assertThat(new HashSet<>(points)).hasSize(1500);
    }

    @Test
    void serviceDownForTheWholeRunThenSyncUploadsExactCounts() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        UUID id;
        try (Stepwise stepwise = client().baseUrl("http://127.0.0.1:" + closedPort).batchSize(100).build()) {
            Run run = stepwise.newRun().name("down").group("outage").tags("a", "b").config("lr", 0.1).start();
            id = run.id();
            for (int i = 0; i < 2500; i++) {
                run.setEpoch(i / 1000);
                run.log("train/loss", i * 0.5, i);
                if (i % 10 == 0) {
                    run.log("valid/loss", i * 0.25, i);
                }
            }
            run.artifact("checkpoint", "s3://bucket/ckpt.bin", "model", "final weights");
            run.finish();
            assertThat(stepwise.flush(Duration.ofSeconds(5))).isFalse();
        }
        assertThat(api.get(runPath(slug, id.toString()), ADMIN).status()).isEqualTo(404);
        // A copy of the spool, as if a sync had uploaded everything but died before deleting files.
        Path copy = Files.createDirectories(spool.resolveSibling("spool-copy"));
        for (Path f : spoolFiles(spool)) {
            Files.copy(f, copy.resolve(f.getFileName()));
        }

        assertThat(sync(spool)).isZero();

        assertThat(count(id, "train/loss")).isEqualTo(2500);
        assertThat(count(id, "valid/loss")).isEqualTo(250);
        JsonNode run = run(id);
        assertThat(run.get("name").asString()).isEqualTo("down");
        assertThat(run.get("group").asString()).isEqualTo("outage");
        assertThat(run.get("status").asString()).isEqualTo("FINISHED");
        assertThat(run.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(run.get("config").get("lr").asDouble()).isEqualTo(0.1);
        JsonNode artifacts = api.get(runPath(slug, id.toString()) + "/artifacts", ADMIN).json().get("artifacts");
        assertThat(artifacts.size()).isEqualTo(1);
        assertThat(artifacts.get(0).get("kind").asString()).isEqualTo("model");
        assertThat(spoolFiles(spool)).isEmpty();
        // Replaying the same files again stores nothing new: batch ids and artifact ids make replays exactly-once.
        assertThat(sync(copy)).isZero();
        assertThat(count(id, "train/loss")).isEqualTo(2500);
        assertThat(count(id, "valid/loss")).isEqualTo(250);
        assertThat(api.get(runPath(slug, id.toString()) + "/artifacts", ADMIN).json().get("artifacts").size())
                .isEqualTo(1);
    }

    @Test
    void retryAfterIsHonoredThroughTheInjectedSleeper() {
        proxy.failMetrics(new Fault(429, "7", false), new Fault(503, "3", false));
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.log("loss", 1.0, 0);
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(waits).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(3));
            assertThat(count(run.id(), "loss")).isEqualTo(1);
        }
    }

    @Test
    void aReadOnlyKeyFailsAtStartWithTheServersReasonAndIsNotRetried() {
        Api.Bearer readKey = createKey(slug, "read").auth();
        try (Stepwise stepwise = client().apiKey(readKey.key()).build()) {
            assertThatThrownBy(() -> stepwise.newRun().name("read only").start())
                    .isInstanceOf(StepwiseException.class)
                    .hasMessageContaining(slug)
                    .satisfies(e -> assertThat(((StepwiseException) e).status()).isEqualTo(403));
            assertThat(stepwise.stats().retried()).isZero();
            assertThat(waits).isEmpty();
        }
        assertThat(proxy.seen()).extracting(FaultInjectingProxy.Seen::method).containsOnly("POST");
        assertThat(proxy.seen()).hasSize(1);
    }

    @Test
    void anUnknownProjectFailsAtStartWithTheServersReason() {
        try (Stepwise stepwise = client().project("no-such-project").build()) {
            assertThatThrownBy(() -> stepwise.newRun().start())
                    .isInstanceOf(StepwiseException.class)
                    .hasMessageContaining("no-such-project")
                    .hasMessageContaining("HTTP 404");
        }
    }

    @Test
    void aRevokedKeyFailsAtStart() {
        CreatedKey key = createKey(slug, "write");
        assertThat(api.delete("/api/v1/projects/" + slug + "/api-keys/" + key.id(), ADMIN).status()).isEqualTo(204);
        try (Stepwise stepwise = client().apiKey(key.auth().key()).build()) {
            assertThatThrownBy(() -> stepwise.newRun().start())
                    .isInstanceOf(StepwiseException.class)
                    .hasMessageContaining("HTTP 401");
        }
    }

    @Test
    void disabledModeTouchesNoNetworkAndNoDisk() {
        try (Stepwise stepwise = client().mode(Mode.DISABLED).build()) {
            Run run = stepwise.newRun().name("nothing").start();
            for (int i = 0; i < 100; i++) {
                run.log("loss", i, i);
            }
            run.finish();
            assertThat(stepwise.flush(Duration.ofSeconds(1))).isTrue();
        }
        assertThat(proxy.seen()).isEmpty();
        assertThat(spool).doesNotExist();
    }

    @Test
    void offlineModeOnlyWritesTheSpoolAndSyncRecreatesTheRun() throws Exception {
        UUID id;
        try (Stepwise stepwise = client().mode(Mode.OFFLINE).build()) {
            Run run = stepwise.newRun().name("offline").group("g").tags("x").config("optimizer", "adam").start();
            id = run.id();
            for (int i = 0; i < 300; i++) {
                run.log("train/loss", 1.0 / (i + 1), i);
            }
            run.fail(new IllegalStateException("diverged"));
        }
        assertThat(proxy.seen()).isEmpty();
        assertThat(spoolFiles(spool)).hasSize(3);
        assertThat(sync(spool)).isZero();
        JsonNode run = run(id);
        assertThat(run.get("name").asString()).isEqualTo("offline");
        assertThat(run.get("status").asString()).isEqualTo("FAILED");
        assertThat(run.get("config").get("optimizer").asString()).isEqualTo("adam");
        assertThat(count(id, "train/loss")).isEqualTo(300);
    }

    @Test
    void nanAndInfinitiesRoundTripLiveAndThroughTheSpool() {
        UUID live;
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            live = run.id();
            run.log("v", Double.NaN, 0);
            run.log("v", Double.POSITIVE_INFINITY, 1);
            run.log("v", Double.NEGATIVE_INFINITY, 2);
            run.log("v", 1.5, 3);
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
        }
        UUID spooled;
        try (Stepwise stepwise = client().mode(Mode.OFFLINE).build()) {
            Run run = stepwise.newRun().start();
            spooled = run.id();
            run.log("v", Double.NaN, 0);
            run.log("v", Double.POSITIVE_INFINITY, 1);
            run.log("v", Double.NEGATIVE_INFINITY, 2);
            run.log("v", 1.5, 3);
        }
        assertThat(sync(spool)).isZero();
        for (UUID id : List.of(live, spooled)) {
            assertThat(stored(id, "v")).containsExactly("0=NaN", "1=Infinity", "2=-Infinity", "3=1.5");
            assertThat(count(id, "v")).isEqualTo(4);
        }
    }

    @Test
    void heartbeatsKeepARunRunningAndAKilledTrainerBecomesCrashed() {
        Stepwise stepwise = client().build();
        Run run = stepwise.newRun().name("alive").start();
        run.log("loss", 1.0, 0);
        // crash-after is 2 s here: heartbeats every 300 ms keep the run RUNNING well past it.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                .until(() -> run(run.id()).get("status").asString().equals("RUNNING"));
        ClientInternals.engine(stepwise).abandon();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                .until(() -> run(run.id()).get("status").asString().equals("CRASHED"));
    }

    @Test
    void resumingARunContinuesAfterItsLastStep() {
        UUID id = UUID.randomUUID();
        try (Stepwise stepwise = client().build()) {
            Run first = stepwise.newRun().id(id).name("resumable").start();
            for (int i = 0; i < 10; i++) {
                first.log("loss", i);
            }
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
        }
        try (Stepwise stepwise = client().build()) {
            Run again = stepwise.newRun().id(id).start();
            assertThat(again.lastStep()).isEqualTo(9);
            again.log("loss", 10.0);
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
        }
        Set<String> steps = new HashSet<>(stored(id, "loss"));
        assertThat(steps).hasSize(11).contains("10=10.0");
    }
}
