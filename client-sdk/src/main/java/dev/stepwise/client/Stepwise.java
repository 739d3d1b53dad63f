package dev.stepwise.client;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.stepwise.client.internal.ClientInternals;
import dev.stepwise.client.internal.Engine;
import dev.stepwise.client.internal.Exporter;
import dev.stepwise.client.internal.RunEvents;
import dev.stepwise.client.internal.RunTrainLogFile;
import dev.stepwise.client.internal.Settings;
import dev.stepwise.client.internal.Warnings;

/**
 * The Stepwise client: starts runs and uploads what they log, in the background.
 *
 * <pre>{@code
 * try (Stepwise stepwise = Stepwise.builder().baseUrl("http://localhost:8080").apiKey("sw_...")
 *         .project("vision").build()) {
 *     Run run = stepwise.newRun().name("baseline").config("lr", 0.01).start();
 *     for (int step = 0; step < 1000; step++) {
 *         run.log("train/loss", loss(step), step);
 *     }
 *     run.finish();
 * }
 * }</pre>
 *
 * <p>{@code log} calls only offer points to a bounded in-memory queue; one daemon thread uploads
 * them in gzip-compressed batches of up to {@code batchSize} points, at least every
 * {@code flushInterval}, each under a {@code batchId} that every retry and replay reuses so the
 * server stores each point exactly once. Failed uploads are retried per the {@link RetryPolicy};
 * after that, or when the queue is full, or in {@link Mode#OFFLINE}, batches go to the spool
 * directory as TrainLog JSON files, replayed in the background once the server answers again or
 * uploaded later with {@code stepwise-cli.jar sync}. Open runs get a heartbeat. A JVM shutdown
 * hook marks runs still open {@code KILLED} and flushes within {@code closeTimeout}.
 *
 * <p>An outage that ends in time is invisible: {@link #flush(Duration)} and {@link #close()} keep
 * uploading, retrying and replaying the spool until everything logged is on the server or their
 * deadline passes. The default close deadline, 120 s ({@code STEPWISE_CLOSE_TIMEOUT}), rides out a
 * typical server restart.
 *
 * <p>Thread-safe. Create with {@link #builder()} or {@link #create()}; close when done.
 */
public final class Stepwise implements AutoCloseable {

    /** What {@link #run(RunSpec, RunBody)} runs. */
    @FunctionalInterface
    public interface RunBody {
        /**
         * Does the work of a run.
         *
         * @param run the open run
         * @throws Exception anything; the run is then marked {@code FAILED} and the exception rethrown
         */
        void accept(Run run) throws Exception;
    }

    private final Engine engine;
    private final Settings settings;
    private final Set<Run> openRuns = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;
    private volatile StepwiseApi api;
    private final Path trainLogFile;
    private final AtomicInteger runsStarted = new AtomicInteger();

    private Stepwise(Settings settings, Path trainLogFile, Exporter exporter) {
        this.settings = settings;
        this.trainLogFile = trainLogFile;
        this.engine = new Engine(settings, exporter);
        ClientInternals.register(this, engine);
        if (settings.shutdownHook() && (settings.mode() != Mode.DISABLED || trainLogFile != null)) {
            shutdownHook = new Thread(this::onJvmShutdown, "stepwise-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } else {
            shutdownHook = null;
        }
    }

    /**
     * Starts a builder whose defaults come from the environment variables.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Creates a client configured entirely from the environment: {@code STEPWISE_URL},
     * {@code STEPWISE_API_KEY}, {@code STEPWISE_PROJECT}, {@code STEPWISE_MODE},
     * {@code STEPWISE_SPOOL_DIR}, {@code STEPWISE_CLOSE_TIMEOUT}.
     *
     * @return the client
     * @throws IllegalStateException when the configuration is incomplete (see {@link Builder#build()})
     */
    public static Stepwise create() {
        return builder().build();
    }

    /** @return the mode this client runs in */
    public Mode mode() {
        return settings.mode();
    }

    /** @return the project slug, or {@code null} when disabled without one */
    public String project() {
        return settings.project();
    }

    /**
     * Returns the TrainLog file this client writes instead of sending anything, when its
     * destination is a file ({@code STEPWISE_MODE=path.json} or {@link Builder#destination(LogDestination)}).
     * The first run is written there when it ends, later runs beside it as {@code <stem>-2.json},
     * {@code <stem>-3.json}, …; the mode is then {@link Mode#DISABLED}.
     *
     * @return the file, or empty when the client talks to the server or the spool
     */
    public Optional<Path> trainLogFile() {
        return Optional.ofNullable(trainLogFile);
    }

    /** @return the spool directory (not created until something is spooled) */
    public Path spoolDir() {
        return settings.spoolDir();
    }

    /**
     * Starts a builder for a new run on this client; finish it with {@link RunSpec.Builder#start()}.
     *
     * @return a run builder
     */
    public RunSpec.Builder newRun() {
        return RunSpec.builder(this);
    }

    /**
     * Starts a run: creates it on the server, or resumes it when a run with the spec's id exists
     * (then the automatic step continues after the server's last step). Online, creation is tried
     * once right away; if the server cannot be reached the run starts anyway and its creation is
     * retried and, failing that, spooled with its points.
     *
     * @param spec the run's id (optional), name, group, tags, config and notes
     * @return the open run
     * @throws IllegalStateException when the client is closed
     * @throws StepwiseException in {@link Mode#ONLINE} when the server refuses the run for good
     *                           (unknown project, bad, revoked or read-only key), with its reason
     */
    public Run start(RunSpec spec) {
        Objects.requireNonNull(spec, "spec");
        if (closed.get()) {
            throw new IllegalStateException("this Stepwise client is closed");
        }
        UUID id = spec.id().orElseGet(UUID::randomUUID);
        RunSpec withId = spec.id().isPresent() ? spec : spec.withId(id);
        RunEvents.Started started = engine.runs().start(id, withId);
        Run run = new Run(this, engine, started.run(), started.lastStep(), settings.mode() == Mode.DISABLED);
        if (trainLogFile != null) {
            run.recordTo(new RunTrainLogFile(RunTrainLogFile.fileOfRun(trainLogFile, runsStarted.getAndIncrement()),
                    settings.project(), id, withId));
        }
        openRuns.add(run);
        return run;
    }

    /**
     * Starts a run, runs the body, and finishes the run; when the body throws, the run is marked
     * {@code FAILED} and the exception rethrown.
     *
     * @param spec the run spec
     * @param body the work
     * @throws Exception whatever the body threw
     */
    public void run(RunSpec spec, RunBody body) throws Exception {
        Run run = start(spec);
        try {
            body.accept(run);
        } catch (Throwable t) {
            run.fail(t);
            throw t;
        }
        run.finish();
    }

    /**
     * Uploads everything queued, retries and replays this client's spool until everything logged
     * so far is on the server or {@code timeout} passes; a server that is down meanwhile is probed
     * with capped backoff and receives everything once it is back within the timeout.
     *
     * @param timeout the longest wait
     * @return online: true exactly when everything logged so far is on the server, false when
     *         the timeout passed first or any point was dropped (see {@link Stats#droppedReasons()});
     *         offline: true when it is all in the spool and nothing was dropped; disabled: true
     */
    public boolean flush(Duration timeout) {
        return engine.flush(timeout);
    }

    /**
     * Returns the read-back API of this client's project and server: runs, one run, summaries, the
     * full raw history of a key, deleting runs. Its calls block on the network.
     *
     * @return the API (one instance per client)
     * @throws IllegalStateException when the client has no server URL (offline without
     *         {@code STEPWISE_URL}, or disabled)
     */
    public StepwiseApi api() {
        if (settings.baseUrl() == null || settings.project() == null) {
            throw new IllegalStateException("Stepwise.api() needs a server URL and a project (STEPWISE_URL, "
                    + "STEPWISE_PROJECT)");
        }
        StepwiseApi existing = api;
        if (existing == null) {
            synchronized (this) {
                if (api == null) {
                    api = new StepwiseApi(settings);
                }
                existing = api;
            }
        }
        return existing;
    }

    /**
     * Returns the counters: logged, uploaded, retried, spooled, replayed, dropped, pending.
     *
     * @return a snapshot
     */
    public Stats stats() {
        return engine.stats();
    }

    /**
     * Finishes open runs, keeps uploading, retrying and replaying within {@code closeTimeout}
     * (default 120 s, {@code STEPWISE_CLOSE_TIMEOUT}), spools the rest and stops the background
     * threads. Returns as soon as everything is stored. Idempotent.
     */
    @Override
    public void close() {
        close(settings.closeTimeout());
    }

    /**
     * Finishes open runs, keeps uploading, retrying and replaying until everything is stored or
     * the deadline passes, spools the rest and stops the background threads. Idempotent: later
     * calls return at once.
     *
     * @param timeout the deadline
     */
    public void close(Duration timeout) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Run r : new ArrayList<>(openRuns)) {
            r.finish();
        }
        engine.shutdown(timeout);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException inShutdown) {
                // the JVM is already exiting
            }
        }
    }

    void forget(Run run) {
        openRuns.remove(run);
    }

    private void onJvmShutdown() {
        if (closed.get()) {
            return;
        }
        for (Run r : new ArrayList<>(openRuns)) {
            r.end("KILLED");
        }
        close(settings.closeTimeout());
    }

    @Override
    public String toString() {
        return "Stepwise[mode=" + settings.mode() + ", url=" + settings.baseUrl() + ", project=" + settings.project()
                + "]";
    }

    /**
     * Configures a {@link Stepwise} client. Values not set come from environment variables, then
     * from the documented defaults. Not thread-safe.
     */
    public static final class Builder {
        private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(120);
        private Map<String, String> env = System.getenv();
        private String baseUrl;
        private String apiKey;
        private String project;
        private Mode mode;
        private LogDestination destination;
        private Path spoolDir;
        private long spoolMaxBytes = 1L << 30;
        private int batchSize = 1000;
        private int queueCapacity = 100_000;
        private Duration flushInterval = Duration.ofSeconds(1);
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration closeTimeout;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration probeInterval = Duration.ofSeconds(5);
        private RetryPolicy retryPolicy = RetryPolicy.defaults();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.system();
        private boolean shutdownHook = true;

        private Builder() {
        }

        /**
         * Replaces the environment variables the defaults are read from (for tests and embedding).
         *
         * @param env variable name to value; default {@link System#getenv()}
         * @return this builder
         */
        public Builder environment(Map<String, String> env) {
            this.env = Map.copyOf(env);
            return this;
        }

        /**
         * Sets the server URL, such as {@code http://localhost:8080} (a trailing {@code /api/v1} is
         * accepted). Default: {@code STEPWISE_URL}.
         *
         * @param baseUrl an http or https URL
         * @return this builder
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = checkUrl(baseUrl);
            return this;
        }

        /**
         * Sets the project API key sent as {@code Authorization: Bearer}. Default: {@code STEPWISE_API_KEY}.
         *
         * @param apiKey the key
         * @return this builder
         */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * Sets the project slug. Default: {@code STEPWISE_PROJECT}.
         *
         * @param project the slug
         * @return this builder
         */
        public Builder project(String project) {
            this.project = checkSlug(project);
            return this;
        }

        /**
         * Sets the mode. Default: {@code STEPWISE_MODE} (see {@link LogDestination#parse(String)}: a mode
         * name, a disabled word, or else a TrainLog file path), else {@link Mode#ONLINE}.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(Mode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Sets the destination, such as {@link LogDestination#trainLogFile(Path)}: a TrainLog file
         * destination sends nothing and writes each run to the file when it ends. A {@link #mode(Mode)}
         * set as well wins. Default: {@code STEPWISE_MODE} parsed with {@link LogDestination#parse(String)}.
         *
         * @param destination the destination
         * @return this builder
         */
        public Builder destination(LogDestination destination) {
            this.destination = Objects.requireNonNull(destination, "destination");
            return this;
        }

        /**
         * Sets the spool directory. Default: {@code STEPWISE_SPOOL_DIR}, else {@code ~/.stepwise/spool}.
         *
         * @param spoolDir the directory (created on first write)
         * @return this builder
         */
        public Builder spoolDir(Path spoolDir) {
            this.spoolDir = Objects.requireNonNull(spoolDir, "spoolDir");
            return this;
        }

        /**
         * Caps the spool directory's size; batches past it are dropped, counted and warned about
         * once a minute. Default 1 GiB.
         *
         * @param bytes at least 1
         * @return this builder
         */
        public Builder spoolMaxBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("spoolMaxBytes must be positive, was " + bytes);
            }
            this.spoolMaxBytes = bytes;
            return this;
        }

        /**
         * Sets the most points per upload. Default 1000; at most 50,000 (the server's limit).
         *
         * @param batchSize 1 to 50,000
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            if (batchSize < 1 || batchSize > 50_000) {
                throw new IllegalArgumentException("batchSize must be in 1..50000, was " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Sets how many points wait in memory; past that they go to the spool. Default 100,000.
         *
         * @param capacity at least 1
         * @return this builder
         */
        public Builder queueCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queueCapacity must be positive, was " + capacity);
            }
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * Sets the longest time a point waits before its batch is sent. Default 1 s.
         *
         * @param interval positive
         * @return this builder
         */
        public Builder flushInterval(Duration interval) {
            this.flushInterval = positive(interval, "flushInterval");
            return this;
        }

        /**
         * Sets the time between heartbeats of open runs; zero turns them off. Default 30 s.
         *
         * @param interval not negative
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            Objects.requireNonNull(interval, "heartbeatInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("heartbeatInterval must not be negative");
            }
            this.heartbeatInterval = interval;
            return this;
        }

        /**
         * Sets the deadline of {@link Stepwise#close()} and of the shutdown hook: until then close
         * keeps retrying and replaying. Default: {@code STEPWISE_CLOSE_TIMEOUT} ({@code 90s},
         * {@code 2m}, {@code 500ms}, an ISO-8601 duration or plain seconds), else 120 s, which rides
         * out a typical server restart.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder closeTimeout(Duration timeout) {
            this.closeTimeout = positive(timeout, "closeTimeout");
            return this;
        }

        /**
         * Sets the timeout of one HTTP request. Default 10 s.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * Sets the timeout of opening a connection. Default 5 s.
         *
         * @param timeout positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Sets how often the spool is retried while the server is down. Default 5 s.
         *
         * @param interval not negative
         * @return this builder
         */
        public Builder probeInterval(Duration interval) {
            Objects.requireNonNull(interval, "probeInterval");
            if (interval.isNegative()) {
                throw new IllegalArgumentException("probeInterval must not be negative");
            }
            this.probeInterval = interval;
            return this;
        }

        /**
         * Sets the retry policy. Default {@link RetryPolicy#defaults()}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
            return this;
        }

        /**
         * Sets the clock for point timestamps and {@code Retry-After} dates. Default UTC system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets what waits between retries. Default {@link Sleeper#system()}.
         *
         * @param sleeper the sleeper
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Chooses whether a JVM shutdown hook marks open runs {@code KILLED} and flushes. Default true.
         *
         * @param enabled whether to register the hook
         * @return this builder
         */
        public Builder shutdownHook(boolean enabled) {
            this.shutdownHook = enabled;
            return this;
        }

        /**
         * Builds and starts the client.
         *
         * <p>{@link Mode#ONLINE} without a URL falls back to {@link Mode#OFFLINE} with a warning, so a
         * trainer never loses data to a missing variable.
         *
         * @return the client
         * @throws IllegalStateException when no project is set outside {@link Mode#DISABLED}
         * @throws IllegalArgumentException when an environment variable holds an invalid value
         */
        public Stepwise build() {
            LogDestination dest = mode != null ? LogDestination.of(mode)
                    : destination != null ? destination : LogDestination.parse(env.get("STEPWISE_MODE"));
            Mode m = dest.mode();
            Path file = dest.trainLogFile().orElse(null);
            String url = baseUrl != null ? baseUrl : blankToNull(env.get("STEPWISE_URL"));
            if (url != null && baseUrl == null) {
                url = checkUrl(url);
            }
            String key = apiKey != null ? apiKey : blankToNull(env.get("STEPWISE_API_KEY"));
            String proj = project != null ? project : blankToNull(env.get("STEPWISE_PROJECT"));
            if (proj != null && project == null) {
                proj = checkSlug(proj);
            }
            Path spool = spoolDir;
            if (spool == null) {
                String dir = blankToNull(env.get("STEPWISE_SPOOL_DIR"));
                spool = dir != null ? Path.of(dir)
                        : Path.of(System.getProperty("user.home"), ".stepwise", "spool");
            }
            if (m != Mode.DISABLED && proj == null) {
                throw new IllegalStateException(
                        "Stepwise needs a project: call project(...) or set STEPWISE_PROJECT (or use Mode.DISABLED)");
            }
            if (m == Mode.ONLINE && url == null) {
                Warnings.LOG.log(System.Logger.Level.WARNING, "Stepwise has no server URL (STEPWISE_URL); "
                        + "running OFFLINE and spooling to " + spool);
                m = Mode.OFFLINE;
            }
            Duration close = closeTimeout;
            if (close == null) {
                String v = blankToNull(env.get("STEPWISE_CLOSE_TIMEOUT"));
                close = v == null ? DEFAULT_CLOSE_TIMEOUT : positive(parseDuration(v), "STEPWISE_CLOSE_TIMEOUT");
            }
            return new Stepwise(new Settings(m, url, key, proj, spool, spoolMaxBytes, batchSize, queueCapacity,
                    flushInterval, heartbeatInterval, close, requestTimeout, connectTimeout, probeInterval,
                    retryPolicy, clock, sleeper, shutdownHook), file, ClientInternals.exporterOf(this));
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }

        private static String checkUrl(String url) {
            Objects.requireNonNull(url, "baseUrl");
            String u = url.trim();
            if (!u.startsWith("http://") && !u.startsWith("https://")) {
                throw new IllegalArgumentException("Stepwise URL must start with http:// or https://, was '" + url + "'");
            }
            return u;
        }

        private static String checkSlug(String slug) {
            Objects.requireNonNull(slug, "project");
            if (!slug.matches("^[a-z0-9][a-z0-9-]{1,62}$")) {
                throw new IllegalArgumentException("project slug must match ^[a-z0-9][a-z0-9-]{1,62}$, was '" + slug + "'");
            }
            return slug;
        }

        /**
         * Parses {@code 90s}, {@code 2m}, {@code 1h}, {@code 500ms}, plain seconds or ISO-8601.
         *
         * @param value the text
         * @return the duration
         * @throws IllegalArgumentException when unreadable
         */
        static Duration parseDuration(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                if (v.startsWith("p")) {
                    return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
                }
                char unit = v.charAt(v.length() - 1);
                if (Character.isDigit(unit)) {
                    return Duration.ofSeconds(Long.parseLong(v));
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
                if (unit == 's') {
                    return Duration.ofSeconds(n);
                }
                if (unit == 'm') {
                    return Duration.ofMinutes(n);
                }
                if (unit == 'h') {
                    return Duration.ofHours(n);
                }
            } catch (RuntimeException e) {
                // reported below with the accepted forms
            }
            throw new IllegalArgumentException("not a duration: '" + value + "' (use 90s, 2m, 1h, 500ms or seconds)");
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
