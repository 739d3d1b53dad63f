package dev.stepwise.server.access;

/** A person's role in a project. */
public enum ProjectRole {
    OWNER, WRITER, READER;

    boolean canWrite() {
        return this != READER;
    }
}
