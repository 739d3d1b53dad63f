package dev.stepwise.server.access;

/** What a request wants to do with a project. */
public enum Permission {
    /** See the project and its runs: any member, any key of the project, admins. */
    READ,
    /** Create and change runs, log data: OWNER, WRITER, write keys, admins. */
    WRITE,
    /** Manage members and API keys: OWNER and admins only; never a key. */
    MANAGE
}
