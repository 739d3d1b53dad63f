/**
 * Projects: creation (publishing {@link dev.stepwise.server.project.ProjectCreated}), lookup by slug
 * or id (cached; projects are never renamed) and row locking for changes that belong to a project.
 * The module depends on no other feature: run counts come through
 * {@link dev.stepwise.server.project.RunCounter}, which the run module implements, and who may see
 * a project is the access module's decision.
 */
package dev.stepwise.server.project;
