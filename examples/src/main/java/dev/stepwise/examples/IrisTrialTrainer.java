package dev.stepwise.examples;

import dev.stepwise.client.Run;
import dev.stepwise.client.Stepwise;
import dev.stepwise.client.TrialConfig;
import dev.stepwise.client.TrainingCallbacks.TrainReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The trainer {@code stepwise-cli sweep run} drives: reads its trial from {@link TrialConfig#current()}
 * ({@code lr}, {@code seed}, {@code epochs}, {@code batch_size} from the trial's {@code cfg.yaml}),
 * trains {@link IrisTrainer}'s softmax regression, logs it live to the trial's run (stable id, name
 * {@code trial_###}, group {@code <mode>/<dataset>/<model>/<trainer>}, the whole config), and at the
 * end writes the seed runner's {@code batch_log.csv} (one row per batch, {@code epoch,mode,batch,loss,
 * acc,lr,grad_norm,time}) into the trial directory, atomically, which marks the trial complete.
 */
public final class IrisTrialTrainer {

    private IrisTrialTrainer() {}

    public static void main(String[] args) throws Exception {
        TrialConfig trial = TrialConfig.current().orElseThrow(() -> new IllegalStateException(
                "no trial: run me through `stepwise-cli sweep run -- ...` (STEPWISE_TRIAL_DIR is unset)"));
        double lr = trial.number("lr");
        long seed = (long) trial.number("seed");
        int epochs = trial.get("epochs") instanceof Number n ? n.intValue() : 20;
        int batch = trial.get("batch_size") instanceof Number n ? n.intValue() : 16;
        StringBuilder csv = new StringBuilder("epoch,mode,batch,loss,acc,lr,grad_norm,time\n");
        long started = System.nanoTime();
        try (Stepwise stepwise = Stepwise.builder().build()) {
            Run run = stepwise.start(trial.runSpec().tags("iris", "sweep").build());
            try {
                TrainReport report = IrisTrainer.train(IrisTrainer.load(), lr, seed, epochs, batch, run,
                        (epoch, mode, b, loss, acc, rate, grad) -> csv.append(String.format(Locale.ROOT,
                                "%d,%s,%d,%s,%s,%s,%s,%.6f%n", epoch, mode, b, loss, acc, cell(rate), cell(grad),
                                (System.nanoTime() - started) / 1e9)));
                run.finish();
                System.out.printf(Locale.ROOT, "%s lr=%s seed=%d: val acc %.3f%n", trial.runName(), lr, seed,
                        report.metrics().get("val_acc"));
            } catch (RuntimeException e) {
                run.fail(e);
                throw e;
            }
            stepwise.flush(Duration.ofSeconds(30));
        }
        Path target = trial.dir().resolve("batch_log.csv");
        Path tmp = Files.createTempFile(trial.dir(), ".batch_log.", ".tmp");
        Files.writeString(tmp, csv, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static String cell(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
