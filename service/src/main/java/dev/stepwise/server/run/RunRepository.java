package dev.stepwise.server.run;

import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface RunRepository extends JpaRepository<Run, UUID> {

    Optional<Run> findByIdAndProjectId(UUID id, long projectId);
}
