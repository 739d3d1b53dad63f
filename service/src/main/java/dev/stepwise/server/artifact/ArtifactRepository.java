package dev.stepwise.server.artifact;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ArtifactRepository extends JpaRepository<Artifact, UUID> {

    List<Artifact> findByRunIdOrderByCreatedAtAscIdAsc(UUID runId);

    /** Inserts unless an artifact with this id exists (also one being inserted concurrently); 1 when inserted. */
    @Modifying
    @Query(nativeQuery = true, value = "insert into artifacts (id, run_id, name, uri, kind, description, size_bytes, "
            + "sha256, created_at, blob_project_id, blob_sha256) values (:id, :runId, :name, :uri, :kind, :description, "
            + ":sizeBytes, :sha256, :createdAt, :blobProjectId, :blob) on conflict (id) do nothing")
    int insertIfAbsent(UUID id, UUID runId, String name, String uri, String kind, String description, Long sizeBytes,
            String sha256, Instant createdAt, Long blobProjectId, String blob);
}
