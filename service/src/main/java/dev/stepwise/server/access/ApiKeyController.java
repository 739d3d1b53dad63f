package dev.stepwise.server.access;

import dev.stepwise.server.access.ApiKeyService.CreatedKey;
import dev.stepwise.server.access.ApiKeyService.KeyInfo;
import dev.stepwise.server.auth.ApiKeyScope;
import dev.stepwise.server.auth.CurrentPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{slug}/api-keys")
@Tag(name = "api-keys", description = "Project API keys for trainers and scripts (OWNER only)")
class ApiKeyController {

    record CreateKeyRequest(@NotBlank @Size(max = 200) String name, @NotNull ApiKeyScope scope, Instant expiresAt) {}

    record CreatedKeyResponse(UUID id, String name, ApiKeyScope scope, String prefix, String key, Instant createdAt,
            Instant expiresAt) {}

    record KeyList(List<KeyInfo> apiKeys) {}

    private final ProjectAccess access;
    private final ApiKeyService apiKeys;

    ApiKeyController(ProjectAccess access, ApiKeyService apiKeys) {
        this.access = access;
        this.apiKeys = apiKeys;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a key; the secret `key` is returned only in this response")
    CreatedKeyResponse create(@PathVariable String slug, @Valid @RequestBody CreateKeyRequest body) {
        ProjectAccess.Granted granted = access.require(slug, Permission.MANAGE);
        CreatedKey created = apiKeys.create(granted.projectId(), body.name(), body.scope(), body.expiresAt(),
                CurrentPrincipal.user());
        KeyInfo info = created.info();
        return new CreatedKeyResponse(info.id(), info.name(), info.scope(), info.prefix(), created.key(),
                info.createdAt(), info.expiresAt());
    }

    @GetMapping
    @Operation(summary = "List keys (never their secrets)")
    KeyList list(@PathVariable String slug) {
        return new KeyList(apiKeys.list(access.require(slug, Permission.MANAGE).projectId()));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Revoke a key; it is rejected from the next request on")
    ResponseEntity<Void> revoke(@PathVariable String slug, @PathVariable UUID id) {
        ProjectAccess.Granted granted = access.require(slug, Permission.MANAGE);
        apiKeys.revoke(granted.projectId(), id, CurrentPrincipal.user());
        return ResponseEntity.noContent().build();
    }
}
