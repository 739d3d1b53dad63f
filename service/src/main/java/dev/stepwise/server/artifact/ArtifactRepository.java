package dev.stepwise.server.artifact;

import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;

interface ArtifactRepository extends JpaRepository<Artifact, UUID> {

    List<Artifact> findByRunIdOrderByCreatedAtAscIdAsc(UUID runId);
}
