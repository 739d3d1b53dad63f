package dev.stepwise.client.sweep;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * One trial directory {@code <out>/<mode>/<dataset>/<model>/<trainer>/trial_###}. Immutable; its
 * {@link #status()} reads the disk on each call.
 *
 * @param mode {@code sweep} or {@code experiment}
 * @param dataset the dataset directory name
 * @param model the model directory name
 * @param trainer the trainer directory name
 * @param number the trial number ({@code trial_007} is 7)
 * @param dir the trial directory
 */
public record Trial(String mode, String dataset, String model, String trainer, int number, Path dir) {

    /** The resolved configuration written by expansion. */
    public static final String CFG_FILE = "cfg.yaml";
    /** The per-batch log a trainer writes; its presence marks the trial complete. */
    public static final String BATCH_LOG = "batch_log.csv";
    /** The per-epoch summary {@code sweep summarize} writes. */
    public static final String EPOCH_LOG = "epoch_log.csv";
    /** Written by {@code sweep run} while the trial's command runs: the process id. */
    public static final String RUNNING_LOCK = ".stepwise-running";

    /** @return {@code trial_###}, the run name */
    public String name() {
        return name(number);
    }

    /**
     * The directory name of a trial number.
     *
     * @param number the trial number
     * @return {@code trial_} and the number with at least three digits
     */
    public static String name(int number) {
        return String.format("trial_%03d", number);
    }

    /** @return {@code <mode>/<dataset>/<model>/<trainer>}, the run group */
    public String group() {
        return mode + "/" + dataset + "/" + model + "/" + trainer;
    }

    /** @return {@code <mode>/<dataset>/<model>/<trainer>/trial_###} */
    public String path() {
        return group() + "/" + name();
    }

    /** @return the trial's resolved {@code cfg.yaml} */
    public Path cfgFile() {
        return dir.resolve(CFG_FILE);
    }

    /**
     * The run id of this trial in a project: a name-based UUID of the project and {@link #path()}, the
     * same on every machine and every run of the CLI.
     *
     * @param project the project slug, or null
     * @return the stable run id
     */
    public UUID runId(String project) {
        return runId(project, path());
    }

    /**
     * The stable run id of a trial folder.
     *
     * @param project the project slug, or null (counts as empty)
     * @param trialPath the folder's path below the log root, {@code /}-separated
     * @return a name-based (version 3) UUID
     */
    public static UUID runId(String project, String trialPath) {
        String name = "stepwise-trial:" + (project == null ? "" : project) + ":" + trialPath;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /** @return complete when {@code batch_log.csv} exists, running while {@code sweep run} runs it, else pending */
    public TrialStatus status() {
        if (Files.exists(dir.resolve(BATCH_LOG))) {
            return TrialStatus.COMPLETE;
        }
        Path lock = dir.resolve(RUNNING_LOCK);
        if (Files.exists(lock)) {
            try {
                long pid = Long.parseLong(Files.readString(lock).trim());
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    return TrialStatus.RUNNING;
                }
            } catch (IOException | NumberFormatException e) {
                // a lock without a readable live pid is left over from a killed runner
            }
        }
        return TrialStatus.PENDING;
    }
}
