package dev.stepwise.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.client.MetricPoint;
import dev.stepwise.client.MetricSummary;
import dev.stepwise.client.Run;
import dev.stepwise.client.RunInfo;
import dev.stepwise.client.RunQuery;
import dev.stepwise.client.RunStatus;
import dev.stepwise.client.Stepwise;
import dev.stepwise.client.StepwiseApi;
import dev.stepwise.client.StepwiseApiException;
import dev.stepwise.server.support.ApiTest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code stepwise.api()} against the real service: run lists over many pages, one run, summaries, histories, delete. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SdkReadBackTests extends ApiTest {

    @TempDir
    Path tmp;

    String slug;
    Stepwise stepwise;

    @BeforeEach
    void setUp() {
        slug = createProject(ADMIN);
        stepwise = client(createKey(slug, "write").auth().key());
    }

    @AfterEach
    void tearDown() {
        stepwise.close(Duration.ofSeconds(5));
    }

    private Stepwise client(String key) {
        return Stepwise.builder().environment(Map.of()).baseUrl(api.baseUrl()).apiKey(key).project(slug)
                .spoolDir(tmp.resolve("spool")).shutdownHook(false).flushInterval(Duration.ofMillis(20))
                .batchSize(5000).build();
    }

    @Test
    void historyReadsEveryRawPointOfALongKeyAcrossPages() {
        Run run = stepwise.newRun().name("long").start();
        run.setEpoch(0);
        for (int step = 0; step < 25_003; step++) {
            if (step == 20_000) {
                run.setEpoch(1);
            }
            run.log("train/loss", step == 7 ? Double.NaN : 1.0 / (step + 1), step);
        }
        run.log("train/loss", -5.0, 12);
        run.log("val/loss", 0.5, 3);
        run.finish();
        assertThat(stepwise.flush(Duration.ofSeconds(60))).isTrue();

        StepwiseApi api = stepwise.api();
        List<MetricPoint> history = api.history(run.id(), "train/loss");
        assertThat(history).hasSize(25_004);
        assertThat(history).extracting(MetricPoint::step).isSorted();
        assertThat(history.get(7).value()).isNaN();
        assertThat(history.get(12).value()).isEqualTo(1.0 / 13);
        assertThat(history.get(13).step()).isEqualTo(12);
        assertThat(history.get(13).value()).isEqualTo(-5.0);
        assertThat(history.get(25_003).step()).isEqualTo(25_002);
        assertThat(history.get(0).epoch()).isZero();
        assertThat(history.get(25_003).epoch()).isEqualTo(1);
        assertThat(history.get(0).time()).isNotNull();
        assertThat(api.history(run.id(), "train/loss", 999)).isEqualTo(history);
        assertThat(api.history(run.id(), "val/loss")).extracting(MetricPoint::value).containsExactly(0.5);
        assertThat(api.history(run.id(), "never/logged")).isEmpty();

        Map<String, MetricSummary> summary = api.summary(run.id());
        assertThat(summary.keySet()).containsExactly("train/loss", "val/loss");
        assertThat(summary.get("train/loss").n()).isEqualTo(25_004);
        assertThat(summary.get("train/loss").min()).isEqualTo(-5.0);
        assertThat(summary.get("train/loss").lastStep()).isEqualTo(25_002);
        RunInfo info = api.run(run.id());
        assertThat(info.name()).isEqualTo("long");
        assertThat(info.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(info.summary()).isEqualTo(summary);
    }

    @Test
    void runsFollowsEveryPageOfTheRunList() {
        Set<UUID> sweep = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            Run run = stepwise.newRun().name("trial-" + i).group("sweep").tags("cnn").config("lr", 0.001 * (i + 1))
                    .start();
            run.log("val/acc", 0.5 + i / 100.0, 1);
            run.finish(i == 3 ? "failed" : "completed");
            sweep.add(run.id());
        }
        stepwise.newRun().name("outside").start().finish();
        assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();

        StepwiseApi api = stepwise.api();
        assertThat(api.runs()).hasSize(8);
        List<RunInfo> runs = api.runs(RunQuery.builder().group("sweep").tags("cnn").sort("name").pageSize(3).build());
        assertThat(runs).extracting(RunInfo::id).containsExactlyInAnyOrderElementsOf(sweep);
        assertThat(runs).extracting(RunInfo::name).containsExactly("trial-0", "trial-1", "trial-2", "trial-3",
                "trial-4", "trial-5", "trial-6");
        assertThat(runs.get(3).status()).isEqualTo(RunStatus.FAILED);
        assertThat(runs.get(0).config()).containsEntry("lr", 0.001);
        assertThat(runs.get(0).tags()).containsExactly("cnn");
        assertThat(api.runs(RunQuery.builder().status(RunStatus.FAILED).pageSize(1).build()))
                .extracting(RunInfo::name).containsExactly("trial-3");
        assertThat(api.runs(RunQuery.builder().filter("config.lr >= 0.005").sort("-name").pageSize(1).build()))
                .extracting(RunInfo::name).containsExactly("trial-6", "trial-5", "trial-4");
        assertThatThrownBy(() -> api.runs(RunQuery.builder().filter("bogus ?? 1").build()))
                .isInstanceOf(StepwiseApiException.class).satisfies(e ->
                        assertThat(((StepwiseApiException) e).status()).isEqualTo(400));
    }

    @Test
    void deleteRunRemovesTheRunAndItsData() {
        Run run = stepwise.newRun().name("doomed").start();
        run.log("loss", 1.0, 0);
        run.finish();
        assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
        StepwiseApi api = stepwise.api();
        assertThat(api.history(run.id(), "loss")).hasSize(1);

        try (Stepwise reader = client(createKey(slug, "read").auth().key())) {
            assertThatThrownBy(() -> reader.api().deleteRun(run.id())).isInstanceOf(StepwiseApiException.class)
                    .satisfies(e -> assertThat(((StepwiseApiException) e).status()).isEqualTo(403));
            assertThat(reader.api().run(run.id()).name()).isEqualTo("doomed");
        }

        api.deleteRun(run.id());
        assertThatThrownBy(() -> api.run(run.id())).isInstanceOf(StepwiseApiException.class)
                .satisfies(e -> assertThat(((StepwiseApiException) e).status()).isEqualTo(404));
        assertThatThrownBy(() -> api.history(run.id(), "loss")).isInstanceOf(StepwiseApiException.class);
        assertThat(api.runs()).isEmpty();
    }
}
