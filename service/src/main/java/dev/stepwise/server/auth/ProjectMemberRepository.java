package dev.stepwise.server.auth;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ProjectMemberRepository extends JpaRepository<ProjectMember, ProjectMember.Key> {

    @Query("select m from ProjectMember m where m.id.projectId = :projectId and m.id.userId = :userId")
    Optional<ProjectMember> find(long projectId, long userId);

    @Query("select m from ProjectMember m where m.id.userId = :userId")
    List<ProjectMember> findByUser(long userId);

    @Query("select m.role as role, u.username as username from ProjectMember m, UserAccount u "
            + "where m.id.projectId = :projectId and u.id = m.id.userId order by u.username")
    List<MemberView> listMembers(long projectId);

    @Query("select count(m) from ProjectMember m where m.id.projectId = :projectId and m.role = :role")
    long countByRole(long projectId, ProjectRole role);

    @Query(value = "select 1 from projects where id = :projectId for update", nativeQuery = true)
    Integer lockProject(long projectId);

    interface MemberView {
        ProjectRole getRole();
        String getUsername();
    }
}
