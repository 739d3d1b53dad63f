package dev.stepwise.server.artifact;

import java.time.Instant;
import java.util.UUID;

/** An artifact reference as the API returns it. */
public record ArtifactRecord(UUID id, String name, String uri, String kind, String description, Long sizeBytes,
        String sha256, Instant createdAt) {}
