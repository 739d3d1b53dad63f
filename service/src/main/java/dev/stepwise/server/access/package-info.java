/**
 * Access control: what a caller may do in a project. Project members and their roles, project API
 * keys (stored as SHA-256 hashes, verified for the auth module), the project list and
 * creation as the caller sees them (with the caller's role), and
 * {@link dev.stepwise.server.access.ProjectAccess}, the one place other modules ask whether the
 * caller may read, write or manage a project. A new project's OWNER membership is made here, on
 * the project module's {@link dev.stepwise.server.project.ProjectCreated} event.
 */
package dev.stepwise.server.access;
