package dev.stepwise.client.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.stepwise.client.TrialConfig;
import dev.stepwise.client.cli.Main;
import dev.stepwise.client.sweep.internal.ConfigFiles;

class SweepExpanderTests {

    @TempDir
    Path dir;

    private Path cfg() {
        return dir.resolve("cfg");
    }

    private Path out() {
        return dir.resolve("out/log");
    }

    private void write(String rel, String yaml) throws IOException {
        Path f = cfg().resolve(rel);
        Files.createDirectories(f.getParent());
        Files.writeString(f, yaml);
    }

    private SweepExpander.Result expand() throws Exception {
        return SweepExpander.builder().cfgRoot(cfg()).outRoot(out()).build().expand();
    }

    private Map<String, Object> trialCfg(String rel) throws IOException {
        return ConfigFiles.readMap(out().resolve(rel).resolve("cfg.yaml"));
    }

    @Test
    void mergesAncestorsShallowlyWithTheChildWinning() throws Exception {
        write("cfg.yaml", "seed: 1\nepochs: 10\noptim: {name: sgd, momentum: 0.9}\n");
        write("sweep/cfg.yaml", "epochs: 5\n");
        write("sweep/mnist/cfg.yaml", "data: mnist\n");
        write("sweep/mnist/mlp/cfg.yaml", "hidden: 64\n");
        write("sweep/mnist/mlp/adam/cfg.yaml", "optim: {name: adam}\nlr: 0.01\n");

        SweepExpander.Result r = expand();

        assertThat(r.trials()).hasSize(1);
        Map<String, Object> c = trialCfg("sweep/mnist/mlp/adam/trial_000");
        assertThat(c).containsEntry("seed", 1).containsEntry("epochs", 5).containsEntry("data", "mnist")
                .containsEntry("hidden", 64).containsEntry("lr", 0.01);
        // shallow: the child's optim map replaces the parent's whole map, momentum is gone
        assertThat(c.get("optim")).isEqualTo(Map.of("name", "adam"));
    }

    @Test
    void nullValuesAndNestedListsAreKeptAsValues() throws Exception {
        write("sweep/mnist/mlp/adam/cfg.yaml", "seed: 1\nscheduler: ~\nshuffle: True\nnet: {layers: [64, 64]}\nlr: [0.1, null]\n");

        SweepExpander.Result r = expand();

        assertThat(r.trials()).hasSize(2);
        assertThat(r.trials().get(1).axes()).containsEntry("lr", null);
        Map<String, Object> c = trialCfg("sweep/mnist/mlp/adam/trial_000");
        assertThat(c).containsEntry("scheduler", null).containsEntry("shuffle", true).containsEntry("net", Map.of("layers", List.of(64, 64)));
        assertThat(expand().written()).isZero();
    }

    @Test
    void listsAreAxesOfACartesianProductExceptBatchMetrics() throws Exception {
        write("sweep/mnist/mlp/adam/cfg.yaml",
                "seed: 7\nlr: [0.1, 0.01]\nhidden: [32, 64, 128]\nbatch_metrics: [loss, acc]\n");

        SweepExpander.Result r = expand();

        assertThat(r.trials()).hasSize(6);
        assertThat(r.trials().get(0).axes()).isEqualTo(Map.of("lr", 0.1, "hidden", 32));
        assertThat(r.trials().get(1).axes()).isEqualTo(Map.of("lr", 0.1, "hidden", 64));
        assertThat(r.trials().get(5).axes()).isEqualTo(Map.of("lr", 0.01, "hidden", 128));
        Map<String, Object> last = trialCfg("sweep/mnist/mlp/adam/trial_005");
        assertThat(last).containsEntry("lr", 0.01).containsEntry("hidden", 128).containsEntry("seed", 7)
                .containsEntry("batch_metrics", List.of("loss", "acc"));
    }

    @Test
    void aSeedListIsTheSeedAxisInExperimentMode() throws Exception {
        write("experiment/mnist/mlp/adam/cfg.yaml", "seed: [1, 2, 3]\nlr: 0.01\nbatch_metrics: [loss]\n");

        SweepExpander.Result r = expand();

        assertThat(r.trials()).extracting(t -> t.config().get("seed")).containsExactly(1, 2, 3);
        assertThat(r.trials()).extracting(t -> t.trial().name()).containsExactly("trial_000", "trial_001", "trial_002");
        assertThat(trialCfg("experiment/mnist/mlp/adam/trial_002")).containsEntry("seed", 3).containsEntry("lr", 0.01);
    }

    @Test
    void aScalarSeedIsRequiredOtherwise() throws Exception {
        write("sweep/mnist/mlp/adam/cfg.yaml", "lr: [0.1, 0.01]\n");

        assertThatThrownBy(this::expand).isInstanceOfSatisfying(SweepRuleException.class, e -> {
            assertThat(e.violations()).singleElement().satisfies(v -> {
                assertThat(v.key()).isEqualTo("seed");
                assertThat(v.file()).isEqualTo(cfg().resolve("sweep/mnist/mlp/adam/cfg.yaml"));
            });
        });
        assertThat(out()).doesNotExist();
    }

    @Test
    void sweepModeRejectsASeedListNamingTheFileThatSetIt() throws Exception {
        write("sweep/cfg.yaml", "seed: [1, 2]\n");
        write("sweep/mnist/mlp/adam/cfg.yaml", "lr: [0.1, 0.01]\n");

        assertThatThrownBy(this::expand).isInstanceOfSatisfying(SweepRuleException.class, e -> {
            assertThat(e.violations()).singleElement().satisfies(v -> {
                assertThat(v.key()).isEqualTo("seed");
                assertThat(v.file()).isEqualTo(cfg().resolve("sweep/cfg.yaml"));
                assertThat(v.message()).contains("sweep mode");
            });
        });
    }

    @Test
    void experimentModeRejectsAnyOtherList() throws Exception {
        write("experiment/mnist/cfg.yaml", "lr: [0.1, 0.01]\n");
        write("experiment/mnist/mlp/adam/cfg.yaml", "seed: [1, 2]\nbatch_metrics: [loss, acc]\n");

        assertThatThrownBy(this::expand).isInstanceOfSatisfying(SweepRuleException.class, e -> {
            assertThat(e.violations()).singleElement().satisfies(v -> {
                assertThat(v.key()).isEqualTo("lr");
                assertThat(v.file()).isEqualTo(cfg().resolve("experiment/mnist/cfg.yaml"));
                assertThat(v.message()).contains("experiment mode");
            });
        });
    }

    @Test
    void ruleViolationsExitWithCodeTwoAndNameFileAndKey() throws Exception {
        write("experiment/mnist/mlp/adam/cfg.yaml", "seed: 1\nhidden: [32, 64]\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.execute(new String[] {"sweep", "expand", "--cfg", cfg().toString(), "--out", out().toString()},
                Map.of(), new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains(cfg().resolve("experiment/mnist/mlp/adam/cfg.yaml").toString()).contains("'hidden'");
    }

    @Test
    void emptyAxesAndUnknownModesAreRuleViolations() throws Exception {
        write("sweep/mnist/mlp/adam/cfg.yaml", "seed: 1\nlr: []\n");
        write("tuning/mnist/mlp/adam/cfg.yaml", "seed: 1\n");

        assertThatThrownBy(this::expand).isInstanceOfSatisfying(SweepRuleException.class, e ->
                assertThat(e.violations()).extracting(SweepRuleException.Violation::key).containsExactlyInAnyOrder("lr", null));
    }

    @Test
    void reExpansionKeepsNumbersAndPropagatesParentEdits() throws Exception {
        write("cfg.yaml", "epochs: 10\n");
        write("sweep/mnist/mlp/adam/cfg.yaml", "seed: 1\nlr: [0.1, 0.01]\n");
        expand();
        Path t1 = out().resolve("sweep/mnist/mlp/adam/trial_001/cfg.yaml");
        Files.setLastModifiedTime(t1, FileTime.fromMillis(1_000_000));

        SweepExpander.Result same = expand();
        assertThat(same.written()).isZero();
        assertThat(Files.getLastModifiedTime(t1).toMillis()).isEqualTo(1_000_000);

        write("cfg.yaml", "epochs: 20\n");
        write("sweep/mnist/mlp/adam/cfg.yaml", "seed: 1\nlr: [0.001, 0.1, 0.01]\n");
        SweepExpander.Result edited = expand();

        assertThat(edited.written()).isEqualTo(3);
        assertThat(trialCfg("sweep/mnist/mlp/adam/trial_000")).containsEntry("lr", 0.1).containsEntry("epochs", 20);
        assertThat(trialCfg("sweep/mnist/mlp/adam/trial_001")).containsEntry("lr", 0.01).containsEntry("epochs", 20);
        assertThat(trialCfg("sweep/mnist/mlp/adam/trial_002")).containsEntry("lr", 0.001);
    }

    @Test
    void statusIsCompleteWhenBatchLogExistsElsePending() throws Exception {
        write("sweep/mnist/mlp/adam/cfg.yaml", "seed: 1\nlr: [0.1, 0.01]\n");
        expand();
        Files.writeString(out().resolve("sweep/mnist/mlp/adam/trial_001/batch_log.csv"), "epoch,loss\n0,1\n");
        Files.writeString(out().resolve("sweep/mnist/mlp/adam/trial_000/" + Trial.RUNNING_LOCK), "999999999");

        List<Trial> trials = SweepTree.trials(out(), TrialFilter.ALL);

        assertThat(trials).extracting(Trial::status).containsExactly(TrialStatus.PENDING, TrialStatus.COMPLETE);
        Files.writeString(trials.get(0).dir().resolve(Trial.RUNNING_LOCK), Long.toString(ProcessHandle.current().pid()));
        assertThat(trials.get(0).status()).isEqualTo(TrialStatus.RUNNING);
    }

    @Test
    void filtersSelectModesAndDatasets() throws Exception {
        write("sweep/mnist/mlp/adam/cfg.yaml", "seed: 1\n");
        write("sweep/cifar/mlp/adam/cfg.yaml", "seed: 1\n");
        write("experiment/mnist/mlp/adam/cfg.yaml", "seed: [1, 2]\n");

        SweepExpander.Result r = SweepExpander.builder().cfgRoot(cfg()).outRoot(out())
                .filter(TrialFilter.of(List.of("sweep"), List.of("mnist"), null, null)).build().expand();

        assertThat(r.trials()).extracting(t -> t.trial().path()).containsExactly("sweep/mnist/mlp/adam/trial_000");
    }

    @Test
    void statusAndSummarizeCommandsReportEachTrial() throws Exception {
        write("sweep/mnist/mlp/adam/cfg.yaml", "seed: 1\nlr: [0.1, 0.01]\n");
        expand();
        Files.writeString(out().resolve("sweep/mnist/mlp/adam/trial_000/batch_log.csv"), "epoch,mode,loss\n0,train,1\n");
        ByteArrayOutputStream status = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());

        assertThat(Main.execute(new String[] {"sweep", "status", "--out", out().toString()}, Map.of(),
                new PrintStream(status, true, StandardCharsets.UTF_8), quiet)).isZero();
        assertThat(status.toString(StandardCharsets.UTF_8)).contains("complete sweep/mnist/mlp/adam/trial_000")
                .contains("pending  sweep/mnist/mlp/adam/trial_001").contains("2 trials: 1 complete, 0 running, 1 pending");

        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        Main.execute(new String[] {"sweep", "summarize", out().toString()}, Map.of(),
                new PrintStream(first, true, StandardCharsets.UTF_8), quiet);
        Main.execute(new String[] {"sweep", "summarize", out().toString()}, Map.of(),
                new PrintStream(second, true, StandardCharsets.UTF_8), quiet);
        assertThat(first.toString(StandardCharsets.UTF_8)).contains("1 batch logs: 1 summarized, 0 fresh");
        assertThat(second.toString(StandardCharsets.UTF_8)).contains("1 batch logs: 0 summarized, 1 fresh");
    }

    @Test
    void runIdsAreStablePerTrialFolderAndProject() {
        Trial a = new Trial("sweep", "mnist", "mlp", "adam", 3, dir.resolve("x"));
        Trial b = new Trial("sweep", "mnist", "mlp", "adam", 3, dir.resolve("elsewhere"));

        assertThat(a.runId("vision")).isEqualTo(b.runId("vision")).isNotEqualTo(a.runId("audio"));
        assertThat(a.group()).isEqualTo("sweep/mnist/mlp/adam");
        assertThat(a.name()).isEqualTo("trial_003");
    }

    @Test
    void sweepRunSetsTheTrialEnvironmentForEachPendingTrial() throws Exception {
        write("sweep/mnist/mlp/adam/cfg.yaml", "seed: 1\nlr: [0.1, 0.01]\nnet: {hidden: 8}\n");
        expand();
        // the "trainer" writes its environment as batch_log.csv, so the trial completes
        String script = "printf 'epoch,loss\\n0,1\\n' > \"$STEPWISE_TRIAL_DIR/batch_log.csv\"; "
                + "echo \"$STEPWISE_RUN_ID $STEPWISE_RUN_NAME $STEPWISE_GROUP $STEPWISE_TRIAL_CFG\" "
                + "> \"$STEPWISE_TRIAL_DIR/env.txt\"";

        int code = Main.execute(new String[] {"sweep", "run", "--out", out().toString(), "--project", "vision",
                "--no-progress", "--", "sh", "-c", script}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));

        assertThat(code).isZero();
        List<Trial> trials = SweepTree.trials(out(), TrialFilter.ALL);
        assertThat(trials).extracting(Trial::status).containsOnly(TrialStatus.COMPLETE);
        Trial t = trials.get(1);
        assertThat(Files.readString(t.dir().resolve("env.txt")).trim()).isEqualTo(t.runId("vision") + " trial_001 "
                + "sweep/mnist/mlp/adam " + t.cfgFile().toAbsolutePath());

        TrialConfig trial = TrialConfig.from(Map.of(TrialConfig.ENV_TRIAL_DIR, t.dir().toString(),
                TrialConfig.ENV_TRIAL_CFG, t.cfgFile().toString(), TrialConfig.ENV_RUN_ID, t.runId("vision").toString(),
                TrialConfig.ENV_RUN_NAME, "trial_001", TrialConfig.ENV_GROUP, t.group())).orElseThrow();
        assertThat(trial.number("lr")).isEqualTo(0.01);
        dev.stepwise.client.RunSpec spec = trial.runSpec().build();
        assertThat(spec.id()).contains(t.runId("vision"));
        assertThat(spec.name()).isEqualTo("trial_001");
        assertThat(spec.group()).isEqualTo("sweep/mnist/mlp/adam");
        assertThat(spec.config()).containsEntry("lr", 0.01).containsEntry("net", Map.of("hidden", 8));
        assertThat(TrialConfig.from(Map.of())).isEmpty();

        // nothing pending any more: a second run starts nothing
        int again = Main.execute(new String[] {"sweep", "run", "--out", out().toString(), "--no-progress", "--",
                "sh", "-c", "exit 3"}, Map.of(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(again).isZero();
    }
}
