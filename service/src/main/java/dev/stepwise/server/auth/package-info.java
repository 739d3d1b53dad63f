/**
 * Who may do what: user accounts and login (sessions with CSRF protection, HTTP Basic), project
 * memberships and roles, project API keys (stored as SHA-256 hashes), the security filter chain,
 * failed-login throttling and the audit log. {@link dev.stepwise.server.auth.ProjectAccess} is the
 * one place other features ask whether the caller may read, write or manage a project.
 */
package dev.stepwise.server.auth;
