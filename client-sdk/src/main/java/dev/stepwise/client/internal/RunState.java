package dev.stepwise.client.internal;

import java.util.UUID;

import dev.stepwise.client.RunSpec;

/**
 * What the engine knows about one run it uploads for. Not API: may change without notice.
 * Thread-safe: flags are volatile; they are written by the caller starting the run and by
 * the upload worker.
 */
public final class RunState {
    /** The run id. */
    public final UUID id;
    /** The project slug. */
    public final String project;
    /** The spec it was started with. */
    public final RunSpec spec;
    /** The server has the run (create answered 200/201, live or through replay). */
    public volatile boolean created;
    /** The server refused to create the run (non-retryable answer); its data is dropped. */
    public volatile boolean rejected;
    /** A creation is queued for the worker and not yet tried. */
    public volatile boolean createPending;

    /**
     * Creates the state of a run that is not on the server yet.
     *
     * @param id the run id
     * @param project the project slug
     * @param spec the spec
     */
    public RunState(UUID id, String project, RunSpec spec) {
        this.id = id;
        this.project = project;
        this.spec = spec;
    }

    /** @return the run name, or the id when it has none */
    public String displayName() {
        return spec.name() != null ? spec.name() : id.toString();
    }
}
