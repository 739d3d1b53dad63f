package dev.stepwise.examples;

import dev.stepwise.client.Run;
import dev.stepwise.client.Stepwise;
import dev.stepwise.client.TrainingCallbacks;
import dev.stepwise.client.TrainingCallbacks.EpochEvent;
import dev.stepwise.client.TrainingCallbacks.StepEvent;
import dev.stepwise.client.TrainingCallbacks.TrainReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a softmax-regression classifier on the Iris data set (150 flowers, 4 measurements,
 * 3 species) with mini-batch SGD with momentum and a cosine learning-rate schedule, and logs the
 * training to Stepwise: per-step loss, accuracy, learning rate and gradient norm, per-epoch
 * validation loss and accuracy, and a final report. A small sweep over learning rates and seeds
 * gives runs to compare and to group by seed.
 *
 * <p>Connection settings come from the environment ({@code STEPWISE_URL}, {@code STEPWISE_API_KEY},
 * {@code STEPWISE_PROJECT}, {@code STEPWISE_MODE}). Arguments: {@code --epochs N},
 * {@code --lrs 0.05,0.2}, {@code --seeds 1,2,3}, {@code --batch N}.
 */
public final class IrisTrainer {

    private static final String[] SPECIES = {"setosa", "versicolor", "virginica"};
    private static final int FEATURES = 4;
    private static final int CLASSES = 3;

    record Example(double[] x, int label) {}

    private IrisTrainer() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int epochs = Integer.parseInt(options.getOrDefault("epochs", "40"));
        int batch = Integer.parseInt(options.getOrDefault("batch", "16"));
        double[] lrs = Arrays.stream(options.getOrDefault("lrs", "0.05,0.3").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        long[] seeds = Arrays.stream(options.getOrDefault("seeds", "1,2,3").split(","))
                .mapToLong(Long::parseLong).toArray();
        List<Example> data = load();
        try (Stepwise stepwise = Stepwise.builder().build()) {
            for (double lr : lrs) {
                for (long seed : seeds) {
                    Run run = stepwise.newRun()
                            .name("iris-softmax lr=" + lr + " seed=" + seed)
                            .group("iris lr=" + lr)
                            .tags("iris", "softmax-regression")
                            .config("lr", lr).config("seed", seed).config("epochs", epochs)
                            .config("batch_size", batch).config("optimizer", "sgd+momentum")
                            .config("momentum", 0.9).config("schedule", "cosine")
                            .start();
                    try {
                        TrainReport report = train(data, lr, seed, epochs, batch, run);
                        System.out.printf("run %s: lr=%s seed=%d final loss %.4f, val acc %.3f%n", run.id(), lr, seed,
                                report.finalLoss(), report.metrics().get("val_acc"));
                        run.finish();
                    } catch (RuntimeException e) {
                        run.fail(e);
                        throw e;
                    }
                }
            }
            if (!stepwise.flush(Duration.ofSeconds(30))) {
                System.err.println("not every point reached the server yet; the rest is in the spool: "
                        + stepwise.stats());
            }
        }
    }

    /** Sees every training batch and every validation pass (for trainers that also write a batch log). */
    interface BatchListener {
        void batch(int epoch, String mode, long batch, double loss, double acc, double lr, double gradNorm);
    }

    static TrainReport train(List<Example> all, double baseLr, long seed, int epochs, int batch, Run run) {
        return train(all, baseLr, seed, epochs, batch, run, (e, m, b, loss, acc, lr, g) -> { });
    }

    static TrainReport train(List<Example> all, double baseLr, long seed, int epochs, int batch, Run run,
            BatchListener listener) {
        Random random = new Random(seed);
        List<Example> shuffled = new ArrayList<>(all);
        java.util.Collections.shuffle(shuffled, random);
        List<Example> train = standardize(shuffled.subList(0, 120), shuffled.subList(0, 120));
        List<Example> val = standardize(shuffled.subList(120, 150), shuffled.subList(0, 120));

        double[][] w = new double[CLASSES][FEATURES + 1];
        for (double[] row : w) {
            for (int j = 0; j < row.length; j++) {
                row[j] = random.nextGaussian() * 0.01;
            }
        }
        double[][] velocity = new double[CLASSES][FEATURES + 1];
        TrainingCallbacks callbacks = TrainingCallbacks.logTo(run);
        callbacks.start();
        Instant started = Instant.now();
        double initialLoss = evaluate(w, train)[0];
        long stepsPerEpoch = (train.size() + batch - 1) / batch;
        long totalSteps = stepsPerEpoch * epochs;
        long step = 0;
        double lastLoss = initialLoss;
        for (int epoch = 0; epoch < epochs; epoch++) {
            java.util.Collections.shuffle(train, random);
            for (int from = 0; from < train.size(); from += batch) {
                List<Example> mini = train.subList(from, Math.min(train.size(), from + batch));
                double lr = 0.5 * baseLr * (1 + Math.cos(Math.PI * step / totalSteps));
                double[][] grad = new double[CLASSES][FEATURES + 1];
                double loss = 0;
                int correct = 0;
                for (Example e : mini) {
                    double[] p = softmax(w, e.x());
                    loss -= Math.log(Math.max(p[e.label()], 1e-12));
                    correct += argmax(p) == e.label() ? 1 : 0;
                    for (int c = 0; c < CLASSES; c++) {
                        double d = p[c] - (c == e.label() ? 1 : 0);
                        for (int j = 0; j < FEATURES; j++) {
                            grad[c][j] += d * e.x()[j] / mini.size();
                        }
                        grad[c][FEATURES] += d / mini.size();
                    }
                }
                double norm = 0;
                for (int c = 0; c < CLASSES; c++) {
                    for (int j = 0; j <= FEATURES; j++) {
                        norm += grad[c][j] * grad[c][j];
                        velocity[c][j] = 0.9 * velocity[c][j] - lr * grad[c][j];
                        w[c][j] += velocity[c][j];
                    }
                }
                lastLoss = loss / mini.size();
                listener.batch(epoch, "train", step, lastLoss, correct / (double) mini.size(), lr, Math.sqrt(norm));
                callbacks.step(new StepEvent(epoch, step, lastLoss, Map.of("acc", correct / (double) mini.size(),
                        "lr", lr, "grad_norm", Math.sqrt(norm))));
                step++;
            }
            double[] valResult = evaluate(w, val);
            listener.batch(epoch, "val", step - 1, valResult[0], valResult[1], Double.NaN, Double.NaN);
            run.log(Map.of("val/loss", valResult[0], "val/acc", valResult[1]), step - 1);
            callbacks.epochEnd(new EpochEvent(epoch, stepsPerEpoch, Map.of("val_loss", valResult[0],
                    "val_acc", valResult[1])));
        }
        double[] valResult = evaluate(w, val);
        TrainReport report = new TrainReport(epochs, step, initialLoss, lastLoss,
                Map.of("val_acc", valResult[1], "val_loss", valResult[0]), Duration.between(started, Instant.now()));
        callbacks.end(report);
        return report;
    }

    /** Loss and accuracy of the model on a data set. */
    static double[] evaluate(double[][] w, List<Example> data) {
        double loss = 0;
        int correct = 0;
        for (Example e : data) {
            double[] p = softmax(w, e.x());
            loss -= Math.log(Math.max(p[e.label()], 1e-12));
            correct += argmax(p) == e.label() ? 1 : 0;
        }
        return new double[] {loss / data.size(), correct / (double) data.size()};
    }

    static double[] softmax(double[][] w, double[] x) {
        double[] z = new double[CLASSES];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CLASSES; c++) {
            z[c] = w[c][FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                z[c] += w[c][j] * x[j];
            }
            max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (int c = 0; c < CLASSES; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < CLASSES; c++) {
            z[c] /= sum;
        }
        return z;
    }

    static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Scales features by the mean and standard deviation of the training part. */
    static List<Example> standardize(List<Example> data, List<Example> reference) {
        double[] mean = new double[FEATURES];
        double[] std = new double[FEATURES];
        for (Example e : reference) {
            for (int j = 0; j < FEATURES; j++) {
                mean[j] += e.x()[j] / reference.size();
            }
        }
        for (Example e : reference) {
            for (int j = 0; j < FEATURES; j++) {
                std[j] += Math.pow(e.x()[j] - mean[j], 2) / reference.size();
            }
        }
        List<Example> result = new ArrayList<>();
        for (Example e : data) {
            double[] x = new double[FEATURES];
            for (int j = 0; j < FEATURES; j++) {
                x[j] = (e.x()[j] - mean[j]) / Math.sqrt(std[j]);
            }
            result.add(new Example(x, e.label()));
        }
        return result;
    }

    static List<Example> load() throws IOException {
        List<Example> data = new ArrayList<>();
        try (InputStream in = IrisTrainer.class.getResourceAsStream("/iris.csv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] parts = line.split(",");
                double[] x = new double[FEATURES];
                for (int j = 0; j < FEATURES; j++) {
                    x[j] = Double.parseDouble(parts[j]);
                }
                data.add(new Example(x, Arrays.asList(SPECIES).indexOf(parts[FEATURES])));
            }
        }
        return data;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
