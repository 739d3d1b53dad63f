package dev.stepwise.server.artifact;

import dev.stepwise.server.auth.Permission;
import dev.stepwise.server.auth.ProjectAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{slug}/runs/{id}/artifacts")
@Tag(name = "artifacts", description = "Artifact references (URIs recorded as given, never opened)")
class ArtifactController {

    record CreateArtifactRequest(@NotBlank @Size(max = 250) String name, @NotBlank @Size(max = 4096) String uri,
            @Size(max = 64) String kind, @Size(max = 10_000) String description, @PositiveOrZero Long sizeBytes,
            @Pattern(regexp = "^[0-9a-fA-F]{64}$", message = "must be 64 hexadecimal characters") String sha256) {}

    record ArtifactList(List<ArtifactRecord> artifacts) {}

    private final ProjectAccess access;
    private final ArtifactService artifacts;

    ArtifactController(ProjectAccess access, ArtifactService artifacts) {
        this.access = access;
        this.artifacts = artifacts;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record an artifact reference; kind defaults to 'file'")
    ArtifactRecord add(@PathVariable String slug, @PathVariable UUID id, @Valid @RequestBody CreateArtifactRequest body) {
        long projectId = access.require(slug, Permission.WRITE).projectId();
        return artifacts.add(projectId, id, new ArtifactService.NewArtifact(body.name(), body.uri(), body.kind(),
                body.description(), body.sizeBytes(), body.sha256()));
    }

    @GetMapping
    @Operation(summary = "Artifact references of the run, oldest first")
    ArtifactList list(@PathVariable String slug, @PathVariable UUID id) {
        return new ArtifactList(artifacts.list(access.require(slug, Permission.READ).projectId(), id));
    }
}
