package dev.stepwise.server.artifact;

import java.time.Instant;
import java.util.UUID;

/**
 * An artifact reference as the API returns it; {@code blob} is the SHA-256 of the stored blob it
 * names (then downloadable from {@code .../artifacts/{id}/file}), or null.
 */
public record ArtifactRecord(UUID id, String name, String uri, String kind, String description, Long sizeBytes,
        String sha256, Instant createdAt, String blob) {}
