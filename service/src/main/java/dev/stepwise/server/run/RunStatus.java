package dev.stepwise.server.run;

/** Lifecycle of a run. FINISHED, FAILED and KILLED are terminal; CRASHED is set by the server. */
public enum RunStatus {
    RUNNING, FINISHED, FAILED, KILLED, CRASHED;

    public boolean terminal() {
        return this == FINISHED || this == FAILED || this == KILLED;
    }
}
