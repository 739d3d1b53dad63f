package dev.stepwise.server.auth;

import dev.stepwise.server.web.ProblemException;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Project memberships and roles. Callers check {@link Permission#MANAGE} first. */
@Service
public class MembershipService {

    /** One member of a project. */
    public record Member(String username, ProjectRole role) {}

    private final ProjectMemberRepository members;
    private final UserAccountRepository users;
    private final AuditLog auditLog;

    MembershipService(ProjectMemberRepository members, UserAccountRepository users, AuditLog auditLog) {
        this.members = members;
        this.users = users;
        this.auditLog = auditLog;
    }

    /** Makes {@code userId} the OWNER of a newly created project. */
    @Transactional
    public void addOwner(long projectId, long userId) {
        members.save(new ProjectMember(projectId, userId, ProjectRole.OWNER));
    }

    @Transactional(readOnly = true)
    public List<Member> list(long projectId) {
        return members.listMembers(projectId).stream().map(m -> new Member(m.getUsername(), m.getRole())).toList();
    }

    /**
     * Adds a member or changes a member's role; demoting the last OWNER is a 409. The project row is
     * locked first so two owners cannot demote each other at once.
     */
    @Transactional
    public Member put(long projectId, String username, ProjectRole role, String actor) {
        UserAccount user = users.findByUsername(username)
                .orElseThrow(() -> ProblemException.notFound("User '" + username + "' not found"));
        members.lockProject(projectId);
        ProjectMember member = members.find(projectId, user.getId()).orElse(null);
        if (member == null) {
            member = members.save(new ProjectMember(projectId, user.getId(), role));
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
        UserAccount user = users.findByUsername(username)
                .orElseThrow(() -> ProblemException.notFound("User '" + username + "' not found"));
        members.lockProject(projectId);
        ProjectMember member = members.find(projectId, user.getId())
                .orElseThrow(() -> ProblemException.notFound("'" + username + "' is not a member of the project"));
        if (member.getRole() == ProjectRole.OWNER && members.countByRole(projectId, ProjectRole.OWNER) <= 1) {
            throw ProblemException.conflict("The last OWNER of a project cannot be removed");
        }
        members.delete(member);
        auditLog.record(AuditLog.MEMBER_REMOVED, actor, projectId, username, Map.of());
    }
}
