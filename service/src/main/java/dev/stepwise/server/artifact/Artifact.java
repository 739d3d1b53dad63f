package dev.stepwise.server.artifact;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "artifacts")
class Artifact {

    @Id
    private UUID id;

    @Column(name = "run_id", nullable = false)
    private UUID runId;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String uri;

    @Column(nullable = false)
    private String kind;

    private String description;

    @Column(name = "size_bytes")
    private Long sizeBytes;

    private String sha256;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "blob_sha256")
    private String blob;

    protected Artifact() {}

    Artifact(UUID runId, String name, String uri, String kind, String description, Long sizeBytes, String sha256,
            Instant createdAt) {
        this.id = UUID.randomUUID();
        this.runId = runId;
        this.name = name;
        this.uri = uri;
        this.kind = kind;
        this.description = description;
        this.sizeBytes = sizeBytes;
        this.sha256 = sha256;
        this.createdAt = createdAt;
    }

    UUID runId() {
        return runId;
    }

    ArtifactRecord toRecord() {
        return new ArtifactRecord(id, name, uri, kind, description, sizeBytes, sha256, createdAt, blob);
    }
}
