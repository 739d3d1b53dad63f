package dev.stepwise.server.access;

import dev.stepwise.server.audit.AuditLog;
import dev.stepwise.server.auth.UserAccountService;
import dev.stepwise.server.project.ProjectCreated;
import dev.stepwise.server.project.ProjectService;
import dev.stepwise.server.web.ProblemException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Project memberships and roles. Callers check {@link Permission#MANAGE} first. */
@Service
public class MembershipService {

    /** One member of a project. */
    public record Member(String username, ProjectRole role) {}

    private final ProjectMemberRepository members;
    private final UserAccountService users;
    private final ProjectService projects;
    private final AuditLog auditLog;

    MembershipService(ProjectMemberRepository members, UserAccountService users, ProjectService projects,
            AuditLog auditLog) {
        this.members = members;
        this.users = users;
        this.projects = projects;
        this.auditLog = auditLog;
    }

    /** The creator of a new project becomes its OWNER, in the creating transaction. */
    @EventListener
    void on(ProjectCreated created) {
        members.save(new ProjectMember(created.projectId(), created.ownerId(), ProjectRole.OWNER));
        auditLog.record(AuditLog.PROJECT_CREATED, created.actor(), created.projectId(), created.slug(), Map.of());
    }

    @Transactional(readOnly = true)
    public List<Member> list(long projectId) {
        List<ProjectMember> list = members.findByProject(projectId);
        var names = users.usernames(list.stream().map(m -> m.getId().userId()).toList());
        return list.stream().map(m -> new Member(names.get(m.getId().userId()), m.getRole()))
                .sorted(Comparator.comparing(Member::username)).toList();
    }

    /**
     * Adds a member or changes a member's role; demoting the last OWNER is a 409. The project row is
     * locked first so two owners cannot demote each other at once.
     */
    @Transactional
    public Member put(long projectId, String username, ProjectRole role, String actor) {
        long userId = userId(username);
        projects.lock(projectId);
        ProjectMember member = members.find(projectId, userId).orElse(null);
        if (member == null) {
            member = members.save(new ProjectMember(projectId, userId, role));
        } else {
            if (member.getRole() == ProjectRole.OWNER && role != ProjectRole.OWNER
                    && members.countByRole(projectId, ProjectRole.OWNER) <= 1) {
                throw ProblemException.conflict("'" + username + "' is the last OWNER of the project");
            }
            member.setRole(role);
        }
        auditLog.record(AuditLog.MEMBER_CHANGED, actor, projectId, username, Map.of("role", role.name()));
        return new Member(username, role);
    }

    /** Removes a member; removing the last OWNER is a 409. */
    @Transactional
    public void remove(long projectId, String username, String actor) {
        long userId = userId(username);
        projects.lock(projectId);
        ProjectMember member = members.find(projectId, userId)
                .orElseThrow(() -> ProblemException.notFound("'" + username + "' is not a member of the project"));
        if (member.getRole() == ProjectRole.OWNER && members.countByRole(projectId, ProjectRole.OWNER) <= 1) {
            throw ProblemException.conflict("The last OWNER of a project cannot be removed");
        }
        members.delete(member);
        auditLog.record(AuditLog.MEMBER_REMOVED, actor, projectId, username, Map.of());
    }

    private long userId(String username) {
        return users.findByUsername(username).map(UserAccountService.UserInfo::id)
                .orElseThrow(() -> ProblemException.notFound("User '" + username + "' not found"));
    }
}
