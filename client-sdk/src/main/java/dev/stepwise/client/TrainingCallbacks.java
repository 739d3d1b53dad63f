package dev.stepwise.client;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Composable hooks for a training loop: once at the start, after every step, at the end of every
 * epoch, and once at the end with a report. They form a monoid: {@link #empty()} does nothing and
 * {@link #andThen(TrainingCallbacks)} runs two collections in sequence.
 *
 * <pre>{@code
 * TrainingCallbacks callbacks = TrainingCallbacks.logTo(run)
 *         .andThen(TrainingCallbacks.sampleResources(run, sampler, 100))
 *         .andThen(TrainingCallbacks.afterStep(e -> progressBar.update(e.step())));
 * callbacks.start();
 * for (...) { callbacks.step(new TrainingCallbacks.StepEvent(epoch, step, loss, Map.of("acc", acc))); }
 * }</pre>
 *
 * <p>Immutable and thread-safe as long as the hooks are.
 */
public final class TrainingCallbacks {

    /**
     * Fired after each optimizer step.
     *
     * @param epoch the current epoch
     * @param step the global step counter
     * @param loss the loss reported for this step
     * @param metrics other values for this step, such as accuracy or learning rate (may be empty)
     */
    public record StepEvent(long epoch, long step, double loss, Map<String, Double> metrics) {
        /**
         * Validates and copies the metrics.
         *
         * @param epoch the epoch
         * @param step the step
         * @param loss the loss
         * @param metrics other metrics
         */
        public StepEvent {
            metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }

        /**
         * Creates an event without extra metrics.
         *
         * @param epoch the epoch
         * @param step the step
         * @param loss the loss
         */
        public StepEvent(long epoch, long step, double loss) {
            this(epoch, step, loss, Map.of());
        }
    }

    /**
     * Fired at the end of each epoch.
     *
     * @param epoch the epoch that just completed
     * @param steps the number of steps executed in it
     * @param metrics epoch-level values, such as validation loss (may be empty)
     */
    public record EpochEvent(long epoch, long steps, Map<String, Double> metrics) {
        /**
         * Validates and copies the metrics.
         *
         * @param epoch the epoch
         * @param steps steps in the epoch
         * @param metrics epoch metrics
         */
        public EpochEvent {
            metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        }
    }

    /**
     * Fired once when training ends: the before/after summary.
     *
     * @param epochs epochs run
     * @param steps optimizer steps run
     * @param initialLoss the loss before training (NaN when unknown)
     * @param finalLoss the loss after training
     * @param metrics other final values, such as accuracy (may be empty)
     * @param duration wall time of training
     */
    public record TrainReport(long epochs, long steps, double initialLoss, double finalLoss,
                              Map<String, Double> metrics, Duration duration) {
        /**
         * Validates and copies the metrics.
         *
         * @param epochs epochs
         * @param steps steps
         * @param initialLoss loss before
         * @param finalLoss loss after
         * @param metrics final metrics
         * @param duration wall time
         */
        public TrainReport {
            metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
            duration = duration == null ? Duration.ZERO : duration;
        }
    }

    private static final TrainingCallbacks EMPTY = new TrainingCallbacks(() -> { }, e -> { }, e -> { }, r -> { });

    private final Runnable onStart;
    private final Consumer<StepEvent> afterStep;
    private final Consumer<EpochEvent> onEpochEnd;
    private final Consumer<TrainReport> onEnd;

    private TrainingCallbacks(Runnable onStart, Consumer<StepEvent> afterStep, Consumer<EpochEvent> onEpochEnd,
                              Consumer<TrainReport> onEnd) {
        this.onStart = onStart;
        this.afterStep = afterStep;
        this.onEpochEnd = onEpochEnd;
        this.onEnd = onEnd;
    }

    /** @return callbacks that do nothing (the identity of {@link #andThen(TrainingCallbacks)}) */
    public static TrainingCallbacks empty() {
        return EMPTY;
    }

    /**
     * Creates callbacks that run an action once when training starts.
     *
     * @param action the action
     * @return the callbacks
     */
    public static TrainingCallbacks onStart(Runnable action) {
        return new TrainingCallbacks(Objects.requireNonNull(action), e -> { }, e -> { }, r -> { });
    }

    /**
     * Creates callbacks that observe every step.
     *
     * @param action the action
     * @return the callbacks
     */
    public static TrainingCallbacks afterStep(Consumer<StepEvent> action) {
        return new TrainingCallbacks(() -> { }, Objects.requireNonNull(action), e -> { }, r -> { });
    }

    /**
     * Creates callbacks that run at the end of every epoch.
     *
     * @param action the action
     * @return the callbacks
     */
    public static TrainingCallbacks onEpochEnd(Consumer<EpochEvent> action) {
        return new TrainingCallbacks(() -> { }, e -> { }, Objects.requireNonNull(action), r -> { });
    }

    /**
     * Creates callbacks that run once at the end with the report.
     *
     * @param action the action
     * @return the callbacks
     */
    public static TrainingCallbacks onEnd(Consumer<TrainReport> action) {
        return new TrainingCallbacks(() -> { }, e -> { }, e -> { }, Objects.requireNonNull(action));
    }

    /**
     * Creates callbacks that log a training loop to a run: {@code train/loss} and
     * {@code train/<metric>} at every step (with the step's epoch attached), {@code epoch/<metric>}
     * at every epoch end, and {@code final/...} values of the report at the end.
     *
     * @param run the run to log to
     * @return the callbacks
     */
    public static TrainingCallbacks logTo(Run run) {
        Objects.requireNonNull(run, "run");
        return new TrainingCallbacks(() -> { }, e -> {
            if (run.epoch() != e.epoch()) {
                run.setEpoch(e.epoch());
            }
            run.log("train/loss", e.loss(), e.step());
            e.metrics().forEach((k, v) -> run.log("train/" + k, v, e.step()));
        }, e -> {
            long step = Math.max(0, run.lastStep());
            run.log("epoch/steps", e.steps(), step);
            e.metrics().forEach((k, v) -> run.log("epoch/" + k, v, step));
        }, r -> {
            long step = Math.max(0, run.lastStep());
            if (!Double.isNaN(r.initialLoss())) {
                run.log("final/initial_loss", r.initialLoss(), step);
            }
            run.log("final/loss", r.finalLoss(), step);
            run.log("final/duration_s", r.duration().toNanos() / 1e9, step);
            r.metrics().forEach((k, v) -> run.log("final/" + k, v, step));
        });
    }

    /**
     * Creates callbacks that take a resource sample every {@code everySteps} steps and log it to a
     * run at that step, like a step-cadence allocator watch.
     *
     * @param run the run to log to
     * @param sampler the sampler
     * @param everySteps the cadence, at least 1
     * @return the callbacks
     */
    public static TrainingCallbacks sampleResources(Run run, ResourceSampler sampler, long everySteps) {
        if (everySteps < 1) {
            throw new IllegalArgumentException("everySteps must be at least 1, was " + everySteps);
        }
        return afterStep(e -> {
            if (e.step() % everySteps == 0) {
                sampler.sample().forEach((k, v) -> run.log(k, v, e.step()));
            }
        });
    }

    /**
     * Composes two collections: each hook runs this collection's hook, then the other's.
     *
     * @param next the callbacks to run second
     * @return the composition
     */
    public TrainingCallbacks andThen(TrainingCallbacks next) {
        Objects.requireNonNull(next, "next");
        if (this == EMPTY) {
            return next;
        }
        if (next == EMPTY) {
            return this;
        }
        return new TrainingCallbacks(() -> {
            onStart.run();
            next.onStart.run();
        }, afterStep.andThen(next.afterStep), onEpochEnd.andThen(next.onEpochEnd), onEnd.andThen(next.onEnd));
    }

    /** Fires the start hooks. */
    public void start() {
        onStart.run();
    }

    /**
     * Fires the step hooks.
     *
     * @param event the step
     */
    public void step(StepEvent event) {
        afterStep.accept(event);
    }

    /**
     * Fires the epoch-end hooks.
     *
     * @param event the epoch
     */
    public void epochEnd(EpochEvent event) {
        onEpochEnd.accept(event);
    }

    /**
     * Fires the end hooks.
     *
     * @param report the report
     */
    public void end(TrainReport report) {
        onEnd.accept(report);
    }
}
