package dev.stepwise.server.access;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;

interface ApiKeyRepository extends JpaRepository<ApiKey, UUID> {

    Optional<ApiKey> findByKeyHash(String keyHash);

    List<ApiKey> findByProjectIdOrderByCreatedAtDesc(long projectId);

    Optional<ApiKey> findByIdAndProjectId(UUID id, long projectId);

    /** Records use at most once a minute per key, so hot ingest paths do not write on every request. */
    @Modifying
    @Query(value = "update api_keys set last_used_at = :now where id = :id "
            + "and (last_used_at is null or last_used_at < cast(:now as timestamptz) - interval '1 minute')", nativeQuery = true)
    int touch(UUID id, Instant now);
}
