package dev.stepwise.client;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.stepwise.client.internal.Engine;
import dev.stepwise.client.internal.Point;
import dev.stepwise.client.internal.RunState;
import dev.stepwise.client.internal.RunTrainLogFile;

/**
 * An open run: log metrics to it, attach artifacts, and finish it.
 *
 * <p>Obtained from {@link Stepwise#newRun()} or {@link Stepwise#start(RunSpec)}. Logging never
 * blocks on the network and never throws for network trouble: points are queued and uploaded in
 * the background (see {@link Stepwise}). A point needs a key of 1 to 250 printable characters and
 * a step of at least 0; anything else is dropped, counted in {@link Stats#dropped()}, and warned
 * about. Closing a run ({@link #close()}) finishes it.
 *
 * <p>Thread-safe: several threads may log to one run.
 */
public final class Run implements AutoCloseable {

    /** The longest metric key the server accepts. */
    public static final int MAX_KEY_LENGTH = 250;

    private final Stepwise client;
    private final Engine engine;
    private final RunState state;
    private final boolean disabled;
    private final java.time.Clock clock;
    private final AtomicLong lastStep;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long epoch = -1;
    private volatile String status = "RUNNING";
    private volatile RunTrainLogFile trainLogFile;

    Run(Stepwise client, Engine engine, RunState state, long lastStep, boolean disabled) {
        this.client = client;
        this.engine = engine;
        this.state = state;
        this.disabled = disabled;
        this.clock = engine.settings().clock();
        this.lastStep = new AtomicLong(lastStep);
    }

    /** @return the run's UUID */
    public UUID id() {
        return state.id;
    }

    /** @return the run's name, or {@code null} when it has none */
    public String name() {
        return state.spec.name();
    }

    /** @return the project slug the run belongs to */
    public String project() {
        return state.project;
    }

    /** @return the spec the run was started with */
    public RunSpec spec() {
        return state.spec;
    }

    /**
     * Returns the status this client last set: {@code RUNNING} until finished, then
     * {@code FINISHED}, {@code FAILED} or {@code KILLED}.
     *
     * @return the local status
     */
    public String status() {
        return status;
    }

    /** @return whether the run is still open for logging */
    public boolean isOpen() {
        return !closed.get();
    }

    /** @return the greatest step logged so far (or known on the server when resumed), -1 when none */
    public long lastStep() {
        return lastStep.get();
    }

    /** @return the epoch attached to new points, -1 when none */
    public long epoch() {
        return epoch;
    }

    /**
     * Sets the epoch attached to every point logged from now on, until changed.
     *
     * @param epoch the epoch, at least 0, or -1 to attach none
     * @throws IllegalArgumentException when below -1
     */
    public void setEpoch(long epoch) {
        if (epoch < -1) {
            throw new IllegalArgumentException("epoch must be >= 0 (or -1 for none), was " + epoch);
        }
        this.epoch = epoch;
    }

    /**
     * Logs a value at the next step: one past the run's greatest step so far.
     *
     * @param key the metric key, such as {@code train/loss}
     * @param value any double, NaN and infinities included (a NaN is stored as a real point)
     */
    public void log(String key, double value) {
        log(key, value, lastStep.incrementAndGet());
    }

    /**
     * Logs a value at an explicit step. Never blocks on the network, never throws.
     *
     * @param key the metric key, 1 to 250 printable characters
     * @param value any double, NaN and infinities included
     * @param step the step, at least 0
     */
    public void log(String key, double value, long step) {
        if (!validKey(key)) {
            engine.refuse("invalid key", "invalid metric key '" + key + "' (1 to " + MAX_KEY_LENGTH + " printable characters)");
            return;
        }
        if (step < 0) {
            engine.refuse("negative step", "negative step " + step + " for key '" + key + "'");
            return;
        }
        if (closed.get()) {
            engine.refuse("run already ended", "run " + state.id + " is already " + status);
            return;
        }
        long seen = lastStep.get();
        while (step > seen && !lastStep.compareAndSet(seen, step)) {
            seen = lastStep.get();
        }
        if (disabled) {
            engine.offer(null);
            RunTrainLogFile file = trainLogFile;
            if (file != null) {
                file.point(key, step, value);
            }
            return;
        }
        engine.offer(new Point(state, key, step, value, epoch, clock.millis()));
    }

    /**
     * Logs several values at one step.
     *
     * @param values key to value; {@code null} values are skipped
     * @param step the step, at least 0
     */
    public void log(Map<String, ? extends Number> values, long step) {
        for (Map.Entry<String, ? extends Number> e : values.entrySet()) {
            if (e.getValue() != null) {
                log(e.getKey(), e.getValue().doubleValue(), step);
            }
        }
    }

    /**
     * Logs several values at the next step (one past the greatest step so far), all at the same step.
     *
     * @param values key to value; {@code null} values are skipped
     */
    public void log(Map<String, ? extends Number> values) {
        log(values, lastStep.incrementAndGet());
    }

    /**
     * Records an artifact reference; the URI is stored as given, never opened. The reference gets
     * its id here, so retries and spool replays of it are stored once.
     *
     * @param name short name, such as {@code checkpoint}
     * @param uri a path or URL
     * @param kind a kind such as {@code model}, or {@code null} for the server default {@code file}
     * @param description a description, or {@code null}
     */
    public void artifact(String name, String uri, String kind, String description) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", UUID.randomUUID().toString());
        body.put("name", name);
        body.put("uri", uri);
        if (kind != null) {
            body.put("kind", kind);
        }
        if (description != null) {
            body.put("description", description);
        }
        engine.runs().artifact(state, body);
        RunTrainLogFile file = trainLogFile;
        if (file != null) {
            file.artifact(name, uri, kind, description);
        }
    }

    /**
     * Records an artifact reference of the default kind.
     *
     * @param name short name
     * @param uri a path or URL
     */
    public void artifact(String name, String uri) {
        artifact(name, uri, null, null);
    }

    /**
     * Merges one config entry into the run, after every point logged so far; sent once, retried
     * and spooled like points. Never blocks on the network.
     *
     * @param key the config key
     * @param value a number, string, boolean, enum, list or map of those, or {@code null}
     * @throws IllegalArgumentException when the value is of another type
     */
    public void config(String key, Object value) {
        Map<String, Object> one = new java.util.LinkedHashMap<>();
        one.put(java.util.Objects.requireNonNull(key, "key"), value);
        config(one);
    }

    /**
     * Merges config entries into the run (keys present on the server are replaced), after every
     * point logged so far; sent once, retried and spooled like points. Never blocks on the network.
     *
     * @param entries key to a number, string, boolean, enum, list or map of those
     * @throws IllegalArgumentException when a value is of another type
     * @throws IllegalStateException when the run has ended
     */
    public void config(Map<String, ?> entries) {
        if (closed.get()) {
            throw new IllegalStateException("run " + state.id + " is already " + status);
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, ?> e : entries.entrySet()) {
            copy.put(e.getKey(), RunSpec.Builder.checkJson(e.getValue(), e.getKey()));
        }
        engine.runs().config(state, copy);
    }

    /** Marks the run {@code FINISHED} after every point logged so far. Idempotent; later logs are dropped. */
    public void finish() {
        end("FINISHED");
    }

    /**
     * Marks the run {@code FAILED} after every point logged so far. Idempotent.
     *
     * @param cause why it failed (reported in the local warning), or {@code null}
     */
    public void fail(Throwable cause) {
        if (end("FAILED") && cause != null) {
            dev.stepwise.client.internal.Warnings.LOG.log(System.Logger.Level.WARNING,
                    "Stepwise run " + state.id + " failed: " + cause);
        }
    }

    /** Same as {@link #finish()}. */
    /**
     * Ends the run with a final status; like {@link #finish()} or {@link #fail(Throwable)} without a cause.
     *
     * @param status {@link RunStatus#FINISHED}, {@link RunStatus#FAILED} or {@link RunStatus#KILLED}
     * @throws IllegalArgumentException for a status that does not end a run
     */
    public void finish(RunStatus status) {
        if (status == null || !status.terminal()) {
            throw new IllegalArgumentException("a run ends FINISHED, FAILED or KILLED, not " + status);
        }
        end(status.name());
    }

    /**
     * Ends the run with a final status given as text: a status name in any case, or the seed
     * tracker's {@code completed} (FINISHED) and {@code failed} (FAILED).
     *
     * @param status the status word
     * @throws IllegalArgumentException for a word that names no final status
     */
    public void finish(String status) {
        finish(RunStatus.parse(status));
    }

    @Override
    public void close() {
        finish();
    }

    boolean end(String finalStatus) {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        status = finalStatus;
        engine.runs().status(state, finalStatus);
        RunTrainLogFile file = trainLogFile;
        if (file != null) {
            try {
                file.write(finalStatus);
            } catch (java.io.IOException e) {
                dev.stepwise.client.internal.Warnings.LOG.log(System.Logger.Level.WARNING,
                        "Stepwise could not write the TrainLog file " + file.file() + ": " + e);
            }
        }
        client.forget(this);
        return true;
    }

    /** Records this run into a TrainLog file destination as well (the client sends nothing then). */
    void recordTo(RunTrainLogFile file) {
        this.trainLogFile = file;
    }

    private static boolean validKey(String key) {
        if (key == null) {
            return false;
        }
        int n = key.length();
        if (n == 0 || n > MAX_KEY_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Run[" + state.id + ", " + state.spec.name() + ", " + status + "]";
    }
}
