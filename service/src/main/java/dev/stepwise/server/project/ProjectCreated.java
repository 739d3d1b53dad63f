package dev.stepwise.server.project;

/**
 * Published inside the creating transaction when a project has been created; listeners (access
 * control: the owner's membership and the audit entry) commit or roll back with it.
 *
 * @param projectId the new project's id
 * @param slug its slug
 * @param ownerId the user who created it and becomes its OWNER
 * @param actor who did it, as audit entries name principals
 */
public record ProjectCreated(long projectId, String slug, long ownerId, String actor) {}
