package dev.stepwise.client.sweep;

/** Where a trial stands, as {@code sweep status} shows it. */
public enum TrialStatus {
    /** {@code batch_log.csv} exists in the trial directory. */
    COMPLETE,
    /** {@code sweep run} is running the trial's command now (its lock file names a live process). */
    RUNNING,
    /** Neither complete nor running. */
    PENDING
}
