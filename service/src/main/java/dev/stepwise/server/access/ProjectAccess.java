package dev.stepwise.server.access;

import dev.stepwise.server.auth.ApiKeyPrincipal;
import dev.stepwise.server.auth.ApiKeyScope;
import dev.stepwise.server.auth.CurrentPrincipal;
import dev.stepwise.server.auth.StepwisePrincipal;
import dev.stepwise.server.auth.StepwiseUser;
import dev.stepwise.server.project.ProjectService;
import dev.stepwise.server.project.ProjectService.ProjectInfo;
import dev.stepwise.server.web.ProblemException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Decides whether the current caller may read, write or manage a project. A project the caller
 * cannot see is a 404 (no existence leak); one it can see but not change in this way is a 403.
 */
@Service
public class ProjectAccess {

    /** A project the caller has been granted access to, with the caller's effective role. */
    public record Granted(ProjectInfo project, StepwisePrincipal principal, ProjectRole role) {
        public long projectId() {
            return project.id();
        }
    }

    private final ProjectService projects;
    private final ProjectMemberRepository members;

    ProjectAccess(ProjectService projects, ProjectMemberRepository members) {
        this.projects = projects;
        this.members = members;
    }

    /** Grants {@code permission} on project {@code slug} to the current caller, or throws 404/403. */
    @Transactional(readOnly = true)
    public Granted require(String slug, Permission permission) {
        StepwisePrincipal principal = CurrentPrincipal.get();
        ProjectInfo project = projects.find(slug).orElseThrow(() -> notFound(slug));
        Optional<ProjectRole> role = roleOf(principal, project.id());
        boolean admin = principal instanceof StepwiseUser user && user.admin();
        if (role.isEmpty() && !admin) {
            throw notFound(slug);
        }
        boolean allowed = admin || switch (permission) {
            case READ -> true;
            case WRITE -> role.get().canWrite();
            case MANAGE -> role.get() == ProjectRole.OWNER && principal instanceof StepwiseUser;
        };
        if (!allowed) {
            throw ProblemException.forbidden(switch (permission) {
                case READ -> "You may not read project '" + slug + "'";
                case WRITE -> principal instanceof ApiKeyPrincipal
                        ? "This API key has read scope; writing needs a write key"
                        : "Your role in project '" + slug + "' does not allow changes";
                case MANAGE -> "Only an OWNER of project '" + slug + "' may manage members and API keys";
            });
        }
        return new Granted(project, principal, role.orElse(null));
    }

    /** The caller's role in a project, if any; keys map to READER / WRITER by scope. */
    Optional<ProjectRole> roleOf(StepwisePrincipal principal, long projectId) {
        if (principal instanceof ApiKeyPrincipal key) {
            return key.projectId() == projectId ? Optional.of(roleOfKey(key)) : Optional.empty();
        }
        return members.find(projectId, ((StepwiseUser) principal).id()).map(ProjectMember::getRole);
    }

    /** Projects the caller is a member of (or, for a key, its one project), with the role in each. */
    @Transactional(readOnly = true)
    public Map<Long, ProjectRole> rolesOfCaller() {
        StepwisePrincipal principal = CurrentPrincipal.get();
        if (principal instanceof ApiKeyPrincipal key) {
            return Map.of(key.projectId(), roleOfKey(key));
        }
        return members.findByUser(((StepwiseUser) principal).id()).stream()
                .collect(Collectors.toMap(m -> m.getId().projectId(), ProjectMember::getRole));
    }

    private static ProjectRole roleOfKey(ApiKeyPrincipal key) {
        return key.scope() == ApiKeyScope.WRITE ? ProjectRole.WRITER : ProjectRole.READER;
    }

    /** True when the caller is a server admin (who sees every project). */
    public boolean callerIsAdmin() {
        return CurrentPrincipal.get() instanceof StepwiseUser user && user.admin();
    }

    private static ProblemException notFound(String slug) {
        return ProblemException.notFound("Project '" + slug + "' not found");
    }
}
