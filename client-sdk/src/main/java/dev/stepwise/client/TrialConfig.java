package dev.stepwise.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import dev.stepwise.client.sweep.internal.ConfigFiles;

/**
 * The trial a trainer was started for by {@code stepwise-cli sweep run}: its directory, resolved
 * {@code cfg.yaml}, stable run id, run name ({@code trial_###}) and group
 * ({@code <mode>/<dataset>/<model>/<trainer>}), read from the environment variables
 * {@code STEPWISE_TRIAL_DIR}, {@code STEPWISE_TRIAL_CFG}, {@code STEPWISE_RUN_ID},
 * {@code STEPWISE_RUN_NAME} and {@code STEPWISE_GROUP}. Immutable and thread-safe.
 *
 * <pre>{@code
 * TrialConfig trial = TrialConfig.current().orElseThrow();
 * double lr = trial.number("lr");
 * try (Run run = stepwise.start(trial.runSpec().tags("djl").build())) { ... }
 * }</pre>
 */
public final class TrialConfig {

    /** The trial directory (where {@code batch_log.csv} belongs). */
    public static final String ENV_TRIAL_DIR = "STEPWISE_TRIAL_DIR";
    /** The trial's resolved {@code cfg.yaml}. */
    public static final String ENV_TRIAL_CFG = "STEPWISE_TRIAL_CFG";
    /** The trial's run id, stable per trial folder. */
    public static final String ENV_RUN_ID = "STEPWISE_RUN_ID";
    /** The run name, {@code trial_###}. */
    public static final String ENV_RUN_NAME = "STEPWISE_RUN_NAME";
    /** The run group, {@code <mode>/<dataset>/<model>/<trainer>}. */
    public static final String ENV_GROUP = "STEPWISE_GROUP";

    private final Path dir;
    private final Path cfgFile;
    private final UUID runId;
    private final String runName;
    private final String group;
    private final Map<String, Object> config;

    private TrialConfig(Path dir, Path cfgFile, UUID runId, String runName, String group, Map<String, Object> config) {
        this.dir = dir;
        this.cfgFile = cfgFile;
        this.runId = runId;
        this.runName = runName;
        this.group = group;
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
    }

    /**
     * The trial of this process, from its environment.
     *
     * @return the trial, or empty when {@code STEPWISE_TRIAL_CFG} and {@code STEPWISE_TRIAL_DIR} are unset
     * @throws UncheckedIOException when the trial's {@code cfg.yaml} cannot be read
     * @throws IllegalArgumentException when {@code STEPWISE_RUN_ID} is not a UUID
     */
    public static Optional<TrialConfig> current() {
        return from(System.getenv());
    }

    /**
     * The trial described by the given environment variables.
     *
     * @param env variables as {@link #current()} reads them
     * @return the trial, or empty when neither {@code STEPWISE_TRIAL_CFG} nor {@code STEPWISE_TRIAL_DIR} is set
     * @throws UncheckedIOException when the trial's {@code cfg.yaml} cannot be read
     * @throws IllegalArgumentException when {@code STEPWISE_RUN_ID} is not a UUID
     */
    public static Optional<TrialConfig> from(Map<String, String> env) {
        String dirValue = blankToNull(env.get(ENV_TRIAL_DIR));
        String cfgValue = blankToNull(env.get(ENV_TRIAL_CFG));
        if (dirValue == null && cfgValue == null) {
            return Optional.empty();
        }
        Path cfg = cfgValue != null ? Path.of(cfgValue) : Path.of(dirValue).resolve("cfg.yaml");
        Path dir = dirValue != null ? Path.of(dirValue) : cfg.toAbsolutePath().getParent();
        String id = blankToNull(env.get(ENV_RUN_ID));
        Map<String, Object> config;
        try {
            config = ConfigFiles.readMap(cfg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trial config " + cfg + ": " + e.getMessage(), e);
        }
        String name = blankToNull(env.get(ENV_RUN_NAME));
        return Optional.of(new TrialConfig(dir, cfg, id == null ? null : UUID.fromString(id),
                name != null ? name : Objects.toString(dir.getFileName(), null), blankToNull(env.get(ENV_GROUP)),
                config));
    }

    /** @return the trial directory */
    public Path dir() {
        return dir;
    }

    /** @return the trial's {@code cfg.yaml} */
    public Path cfgFile() {
        return cfgFile;
    }

    /** @return the run id, empty when {@code STEPWISE_RUN_ID} is unset */
    public Optional<UUID> runId() {
        return Optional.ofNullable(runId);
    }

    /** @return the run name ({@code trial_###}) */
    public String runName() {
        return runName;
    }

    /** @return the run group, or null when {@code STEPWISE_GROUP} is unset */
    public String group() {
        return group;
    }

    /** @return the resolved configuration, keys in file order, nested maps kept nested */
    public Map<String, Object> config() {
        return config;
    }

    /**
     * One configuration value.
     *
     * @param key a top-level key
     * @return the value, or null when absent
     */
    public Object get(String key) {
        return config.get(key);
    }

    /**
     * One numeric configuration value.
     *
     * @param key a top-level key
     * @return the value as a double
     * @throws IllegalArgumentException when the key is absent or not a number
     */
    public double number(String key) {
        if (config.get(key) instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("trial config " + cfgFile + " has no number '" + key + "'");
    }

    /**
     * A run spec builder pre-filled with the trial's id, name, group and config; add to it and start it.
     *
     * @return a new builder, not tied to a client (start it with {@link Stepwise#start(RunSpec)})
     */
    public RunSpec.Builder runSpec() {
        RunSpec.Builder b = RunSpec.builder().name(runName).group(group).config(config);
        if (runId != null) {
            b.id(runId);
        }
        return b;
    }

    /**
     * Like {@link #runSpec()}, as a builder whose {@code start()} starts the run on {@code client}.
     *
     * @param client the client
     * @return a new builder
     */
    public RunSpec.Builder newRun(Stepwise client) {
        RunSpec.Builder b = client.newRun().name(runName).group(group).config(config);
        if (runId != null) {
            b.id(runId);
        }
        return b;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    @Override
    public String toString() {
        return "TrialConfig[" + runName + " " + group + " " + cfgFile + "]";
    }
}
