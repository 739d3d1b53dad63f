package dev.stepwise.server.project;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

interface ProjectRepository extends JpaRepository<Project, Long> {

    Optional<Project> findBySlug(String slug);

    boolean existsBySlug(String slug);

    List<Project> findAllByOrderBySlugAsc();

    List<Project> findByIdInOrderBySlugAsc(Collection<Long> ids);
}
