package dev.stepwise.server.access;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface ProjectMemberRepository extends JpaRepository<ProjectMember, ProjectMember.Key> {

    @Query("select m from ProjectMember m where m.id.projectId = :projectId and m.id.userId = :userId")
    Optional<ProjectMember> find(long projectId, long userId);

    @Query("select m from ProjectMember m where m.id.userId = :userId")
    List<ProjectMember> findByUser(long userId);

    @Query("select m from ProjectMember m where m.id.projectId = :projectId")
    List<ProjectMember> findByProject(long projectId);

    @Query("select count(m) from ProjectMember m where m.id.projectId = :projectId and m.role = :role")
    long countByRole(long projectId, ProjectRole role);
}
