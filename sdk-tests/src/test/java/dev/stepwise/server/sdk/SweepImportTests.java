package dev.stepwise.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.stepwise.client.MetricPoint;
import dev.stepwise.client.RunInfo;
import dev.stepwise.client.Stepwise;
import dev.stepwise.client.cli.Main;
import dev.stepwise.client.sweep.EpochSummarizer;
import dev.stepwise.client.sweep.SweepExpander;
import dev.stepwise.client.sweep.SweepTree;
import dev.stepwise.client.sweep.Trial;
import dev.stepwise.client.sweep.TrialFilter;
import dev.stepwise.client.sweep.TrialStatus;
import dev.stepwise.server.support.ApiTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code import trials} of batch_log.csv trial folders against the real service: one run per trial, exactly once. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SweepImportTests extends ApiTest {

    @TempDir
    Path tmp;

    String slug;
    String key;
    Stepwise stepwise;

    @BeforeEach
    void setUp() {
        slug = createProject(ADMIN);
        key = createKey(slug, "write").auth().key();
        stepwise = Stepwise.builder().environment(Map.of()).baseUrl(api.baseUrl()).apiKey(key).project(slug)
                .spoolDir(tmp.resolve("spool")).shutdownHook(false).build();
    }

    @AfterEach
    void tearDown() {
        stepwise.close(Duration.ofSeconds(5));
    }

    private int importTrials(Path dir) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"import", "trials", dir.toString(), "--no-progress"},
                Map.of("STEPWISE_URL", api.baseUrl(), "STEPWISE_API_KEY", key, "STEPWISE_PROJECT", slug),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).isZero();
        return code;
    }

    private static String rows(int fromEpoch, int toEpoch) {
        StringBuilder s = new StringBuilder();
        for (int e = fromEpoch; e < toEpoch; e++) {
            for (int b = 0; b < 4; b++) {
                s.append(e).append(",train,").append(1.0 / (e + 1) + b * 0.01).append(',').append(0.1 / (e + 1))
                        .append(',').append(b * 0.5 + e).append(',').append(e * 10 + b).append('\n');
            }
            s.append(e).append(",val,").append(0.9 / (e + 1)).append(",,,").append(e * 10 + 4).append('\n');
        }
        return s.toString();
    }

    @Test
    void trialFoldersBecomeOneRunEachAndReimportStoresNothingTwice() throws Exception {
        Path cfg = tmp.resolve("cfg");
        Files.createDirectories(cfg.resolve("sweep/mnist/mlp/adam"));
        Files.writeString(cfg.resolve("cfg.yaml"), "seed: 3\noptim: {name: adam, betas: [0.9, 0.999]}\n");
        Files.writeString(cfg.resolve("sweep/mnist/mlp/adam/cfg.yaml"), "lr: [0.1, 0.01]\n");
        Path out = tmp.resolve("out/log");
        SweepExpander.builder().cfgRoot(cfg).outRoot(out).build().expand();
        List<Trial> trials = SweepTree.trials(out, TrialFilter.ALL);
        String header = "epoch,mode,loss,lr,grad_norm,time\n";
        for (Trial t : trials) {
            Files.writeString(t.dir().resolve(Trial.BATCH_LOG), header + rows(0, 2));
        }

        importTrials(out);

        Trial t0 = trials.get(0);
        RunInfo run = stepwise.api().run(t0.runId(slug));
        assertThat(run.name()).isEqualTo("trial_000");
        assertThat(run.group()).isEqualTo("sweep/mnist/mlp/adam");
        assertThat(run.config()).containsEntry("lr", 0.1).containsEntry("seed", 3L)
                .containsEntry("optim", Map.of("name", "adam", "betas", List.of(0.9, 0.999)));
        assertThat(stepwise.api().history(run.id(), "train/loss")).hasSize(8);
        assertThat(stepwise.api().history(run.id(), "val/loss")).hasSize(2);
        assertThat(stepwise.api().history(run.id(), "val/lr")).isEmpty();
        assertThat(stepwise.api().runs()).hasSize(2);

        importTrials(out);
        assertThat(stepwise.api().history(run.id(), "train/loss")).hasSize(8);
        assertThat(stepwise.api().runs()).hasSize(2);

        Files.writeString(t0.dir().resolve(Trial.BATCH_LOG), header + rows(0, 3));
        importTrials(out);
        List<MetricPoint> loss = stepwise.api().history(run.id(), "train/loss");
        assertThat(loss).hasSize(12);
        assertThat(loss).extracting(MetricPoint::step).doesNotHaveDuplicates().isSorted();
        assertThat(loss.get(11).epoch()).isEqualTo(2);
        assertThat(stepwise.api().history(trials.get(1).runId(slug), "train/loss")).hasSize(8);

        // the server's epoch reductions give the values of sweep summarize's epoch_log.csv
        EpochSummarizer.summarize(t0.dir());
        List<CSVRecord> epochLog;
        try (Reader r = Files.newBufferedReader(t0.dir().resolve(Trial.EPOCH_LOG))) {
            epochLog = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
        JsonNode epochs = api.get(runPath(slug, run.id().toString()) + "/epochs", ADMIN).json().get("epochs");
        int compared = 0;
        for (CSVRecord row : epochLog) {
            for (String column : List.of("loss", "lr", "grad_norm", "time")) {
                if (row.get(column).isEmpty()) {
                    continue;
                }
                String metric = row.get("mode") + "/" + column;
                int epoch = Integer.parseInt(row.get("epoch"));
                JsonNode match = null;
                for (JsonNode e : epochs) {
                    if (e.get("key").asString().equals(metric) && e.get("epoch").asInt() == epoch) {
                        match = e;
                    }
                }
                assertThat(match).as(metric + " epoch " + epoch).isNotNull();
                assertThat(match.get("value").asDouble()).as(metric + " epoch " + epoch)
                        .isCloseTo(Double.parseDouble(row.get(column)), within(1e-9));
                compared++;
            }
        }
        assertThat(compared).isEqualTo(3 * (4 + 2)); // train: loss, lr, grad_norm, time; val: loss, time
    }

    @Test
    void aFolderOutsideASweepTreeIsImportedUnderItsParentName() throws Exception {
        Path trial = tmp.resolve("old-runs/baseline");
        Files.createDirectories(trial);
        Files.writeString(trial.resolve(Trial.BATCH_LOG), "epoch,loss\n0,1.5\n0,0.5\n");

        importTrials(tmp.resolve("old-runs"));

        RunInfo run = stepwise.api().run(Trial.runId(slug, "old-runs/baseline"));
        assertThat(run.name()).isEqualTo("baseline");
        assertThat(run.group()).isEqualTo("old-runs");
        assertThat(stepwise.api().history(run.id(), "loss")).extracting(MetricPoint::value).containsExactly(1.5, 0.5);
    }

    @Test
    void sweepRunDrivesTheExampleTrainerIntoOneRunPerTrialWithSeedGroups() throws Exception {
        Path cfg = tmp.resolve("cfg");
        Files.createDirectories(cfg.resolve("experiment/iris/softmax/sgd"));
        Files.createDirectories(cfg.resolve("sweep/iris/softmax/sgd"));
        Files.writeString(cfg.resolve("cfg.yaml"), "epochs: 3\nbatch_size: 30\nbatch_metrics: [loss, acc]\n");
        Files.writeString(cfg.resolve("experiment/iris/softmax/sgd/cfg.yaml"), "seed: [1, 2]\nlr: 0.1\n");
        Files.writeString(cfg.resolve("sweep/iris/softmax/sgd/cfg.yaml"), "seed: 1\nlr: [0.05, 0.3]\n");
        Path out = tmp.resolve("out/log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> env = Map.of("STEPWISE_URL", api.baseUrl(), "STEPWISE_API_KEY", key,
                "STEPWISE_PROJECT", slug, "STEPWISE_SPOOL_DIR", tmp.resolve("trainer-spool").toString());
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

        assertThat(Main.execute(new String[] {"sweep", "expand", "--cfg", cfg.toString(), "--out", out.toString()},
                env, quiet, quiet)).isZero();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"sweep", "run", "--out", out.toString(), "--no-progress", "--", java,
                "-cp", System.getProperty("java.class.path"), "dev.stepwise.examples.IrisTrialTrainer"}, env, quiet, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<Trial> trials = SweepTree.trials(out, TrialFilter.ALL);
        assertThat(trials).hasSize(4).allSatisfy(t -> assertThat(t.status()).isEqualTo(TrialStatus.COMPLETE));
        for (Trial t : trials) {
            RunInfo run = stepwise.api().run(t.runId(slug));
            assertThat(run.name()).isEqualTo(t.name());
            assertThat(run.group()).isEqualTo(t.group());
            assertThat(run.status()).isEqualTo(dev.stepwise.client.RunStatus.FINISHED);
            assertThat(stepwise.api().history(run.id(), "val/acc")).hasSize(3);
        }
        JsonNode seedGroups = api.get("/api/v1/projects/" + slug + "/runs/aggregate?by=group&by=config.lr"
                + "&metric=val/acc.last", ADMIN).json().get("groups");
        assertThat(seedGroups).hasSize(3);
        JsonNode experiment = seedGroups.get(0);
        assertThat(experiment.get("key").get("group").asString()).isEqualTo("experiment/iris/softmax/sgd");
        assertThat(experiment.get("n").asLong()).isEqualTo(2);
        assertThat(experiment.get("std").isNull()).isFalse();
    }
}
