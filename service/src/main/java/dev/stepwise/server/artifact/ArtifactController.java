package dev.stepwise.server.artifact;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{slug}/runs/{id}/artifacts")
@Tag(name = "artifacts", description = "Artifact references (URIs recorded as given, never opened)")
class ArtifactController {

    record CreateArtifactRequest(
            @Schema(description = "Extension: optional client-chosen id. Repeating the request with the same id and "
                    + "the same fields returns the stored reference (200) instead of a second copy; the same id with "
                    + "other fields is a 409.") UUID id,
            @NotBlank @Size(max = 250) String name, @NotBlank @Size(max = 4096) String uri,
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
    @Operation(summary = "Record an artifact reference (201); kind defaults to 'file'. With a client-chosen id "
            + "already stored with the same fields: that reference again (200)")
    @ApiResponse(responseCode = "201", description = "Stored")
    @ApiResponse(responseCode = "200", description = "This id was stored before with the same fields; nothing changed")
    @ApiResponse(responseCode = "409", description = "This id is taken by a different artifact reference")
    ResponseEntity<ArtifactRecord> add(@PathVariable String slug, @PathVariable UUID id,
            @Valid @RequestBody CreateArtifactRequest body) {
        long projectId = access.require(slug, Permission.WRITE).projectId();
        ArtifactService.Added added = artifacts.add(projectId, id, new ArtifactService.NewArtifact(body.id(),
                body.name(), body.uri(), body.kind(), body.description(), body.sizeBytes(), body.sha256()));
        return ResponseEntity.status(added.created() ? HttpStatus.CREATED : HttpStatus.OK).body(added.artifact());
    }

    @GetMapping
    @Operation(summary = "Artifact references of the run, oldest first")
    ArtifactList list(@PathVariable String slug, @PathVariable UUID id) {
        return new ArtifactList(artifacts.list(access.require(slug, Permission.READ).projectId(), id));
    }
}
