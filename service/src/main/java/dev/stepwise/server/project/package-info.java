/**
 * Projects: creation (the creator becomes OWNER), lookup by slug and the project list. Who may see
 * or change a project is decided by {@link dev.stepwise.server.auth.ProjectAccess}.
 */
package dev.stepwise.server.project;
