/**
 * Authentication: who is calling. User accounts and the first admin, login with sessions stored in
 * PostgreSQL (CSRF-protected), HTTP Basic with failed-login throttling, the {@code Bearer} API-key
 * filter (the keys themselves belong to the access module, which implements
 * {@link dev.stepwise.server.auth.ApiKeyAuthenticator}), the security filter chain and
 * the principals ({@link dev.stepwise.server.auth.StepwisePrincipal}) every other
 * module reads through {@link dev.stepwise.server.auth.CurrentPrincipal}.
 */
package dev.stepwise.server.auth;
