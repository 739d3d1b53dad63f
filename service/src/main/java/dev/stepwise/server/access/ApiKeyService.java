package dev.stepwise.server.access;

import dev.stepwise.server.audit.AuditLog;
import dev.stepwise.server.auth.ApiKeyAuthenticator;
import dev.stepwise.server.auth.ApiKeyPrincipal;
import dev.stepwise.server.auth.ApiKeyScope;
import dev.stepwise.server.auth.StepwiseUser;
import dev.stepwise.server.project.ProjectService;
import dev.stepwise.server.project.ProjectService.ProjectInfo;
import dev.stepwise.server.web.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Project API keys. A key is {@code sw_<8 hex>_<43 base64url chars>} (256 random bits); only its
 * SHA-256 is stored, and the key is returned once, at creation. Revocation and expiry take effect
 * on the next request because every request looks the hash up.
 */
@Service
public class ApiKeyService implements ApiKeyAuthenticator {

    /** A key as listed; never contains the secret. */
    public record KeyInfo(UUID id, String name, ApiKeyScope scope, String prefix, Instant createdAt,
            Instant expiresAt, Instant lastUsedAt, boolean revoked) {}

    /** A freshly created key, the only time {@code key} is available. */
    public record CreatedKey(KeyInfo info, String key) {}

    private final SecureRandom random = new SecureRandom();
    private final ApiKeyRepository keys;
    private final AuditLog auditLog;
    private final Clock clock;

    private final ProjectService projects;

    ApiKeyService(ApiKeyRepository keys, ProjectService projects, AuditLog auditLog, Clock clock) {
        this.keys = keys;
        this.projects = projects;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    @Transactional
    public CreatedKey create(long projectId, String name, ApiKeyScope scope, Instant expiresAt, StepwiseUser creator) {
        Instant now = clock.instant();
        if (expiresAt != null && !expiresAt.isAfter(now)) {
            throw ProblemException.invalid("expiresAt", "must be in the future");
        }
        byte[] idBytes = new byte[4];
        byte[] secret = new byte[32];
        random.nextBytes(idBytes);
        random.nextBytes(secret);
        String prefix = "sw_" + HexFormat.of().formatHex(idBytes);
        String key = prefix + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey saved = keys.save(new ApiKey(UUID.randomUUID(), projectId, name, scope, prefix, sha256(key),
                creator.id(), now, expiresAt));
        auditLog.record(AuditLog.API_KEY_CREATED, creator.describe(), projectId, prefix,
                Map.of("name", name, "scope", scope.wire()));
        return new CreatedKey(info(saved, now), key);
    }

    @Transactional(readOnly = true)
    public List<KeyInfo> list(long projectId) {
        Instant now = clock.instant();
        return keys.findByProjectIdOrderByCreatedAtDesc(projectId).stream().map(k -> info(k, now)).toList();
    }

    @Transactional
    public void revoke(long projectId, UUID id, StepwiseUser actor) {
        ApiKey key = keys.findByIdAndProjectId(id, projectId)
                .orElseThrow(() -> ProblemException.notFound("API key " + id + " not found"));
        key.revoke(clock.instant());
        auditLog.record(AuditLog.API_KEY_REVOKED, actor.describe(), projectId, key.getPrefix(), Map.of());
    }

    /** Resolves a presented key to its principal if it exists, is not revoked and has not expired. */
    @Transactional
    @Override
    public Optional<ApiKeyPrincipal> authenticate(String presented) {
        if (presented == null || !presented.startsWith("sw_") || presented.length() > 200) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        return keys.findByKeyHash(sha256(presented))
                .filter(k -> k.getRevokedAt() == null)
                .filter(k -> k.getExpiresAt() == null || k.getExpiresAt().isAfter(now))
                .map(k -> {
                    if (k.getLastUsedAt() == null || k.getLastUsedAt().isBefore(now.minusSeconds(60))) {
                        keys.touch(k.getId(), now);
                    }
                    return new ApiKeyPrincipal(k.getId(), k.getPrefix(), k.getProjectId(),
                            projects.findById(k.getProjectId()).map(ProjectInfo::slug).orElse(null), k.getScope());
                });
    }

    private static KeyInfo info(ApiKey k, Instant now) {
        return new KeyInfo(k.getId(), k.getName(), k.getScope(), k.getPrefix(), k.getCreatedAt(), k.getExpiresAt(),
                k.getLastUsedAt(), k.getRevokedAt() != null);
    }

    static String sha256(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
