package dev.stepwise.server.access;

import dev.stepwise.server.auth.ApiKeyScope;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "api_keys")
class ApiKey {

    @Id
    private UUID id;

    @Column(name = "project_id", nullable = false)
    private long projectId;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String scope;

    @Column(nullable = false)
    private String prefix;

    @Column(name = "key_hash", nullable = false)
    private String keyHash;

    @Column(name = "created_by")
    private Long createdBy;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiKey() {}

    ApiKey(UUID id, long projectId, String name, ApiKeyScope scope, String prefix, String keyHash, Long createdBy,
            Instant createdAt, Instant expiresAt) {
        this.id = id;
        this.projectId = projectId;
        this.name = name;
        this.scope = scope.wire();
        this.prefix = prefix;
        this.keyHash = keyHash;
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    UUID getId() { return id; }
    long getProjectId() { return projectId; }
    String getName() { return name; }
    ApiKeyScope getScope() { return ApiKeyScope.parse(scope); }
    String getPrefix() { return prefix; }
    Instant getCreatedAt() { return createdAt; }
    Instant getExpiresAt() { return expiresAt; }
    Instant getLastUsedAt() { return lastUsedAt; }
    Instant getRevokedAt() { return revokedAt; }
    void revoke(Instant at) { if (revokedAt == null) { revokedAt = at; } }
}
