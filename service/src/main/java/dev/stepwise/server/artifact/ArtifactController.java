package dev.stepwise.server.artifact;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.media.BlobService;
import dev.stepwise.server.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.io.IOException;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
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
            @NotBlank @Size(max = 250) String name,
            @Schema(description = "Required unless `blob` is given (then defaults to `blob:<sha256>`)")
            @Size(max = 4096) String uri,
            @Size(max = 64) String kind, @Size(max = 10_000) String description, @PositiveOrZero Long sizeBytes,
            @Pattern(regexp = "^[0-9a-fA-F]{64}$", message = "must be 64 hexadecimal characters") String sha256,
            @Schema(description = "SHA-256 of a blob of the project (PUT /blobs/{sha256}?purpose=artifact for any "
                    + "file type); the artifact is then downloadable from .../artifacts/{id}/file")
            @Pattern(regexp = "^[0-9a-fA-F]{64}$", message = "must be 64 hexadecimal characters") String blob) {}

    record ArtifactList(List<ArtifactRecord> artifacts) {}

    private final ProjectAccess access;
    private final ArtifactService artifacts;
    private final BlobService blobs;

    ArtifactController(ProjectAccess access, ArtifactService artifacts, BlobService blobs) {
        this.access = access;
        this.artifacts = artifacts;
        this.blobs = blobs;
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
                body.name(), body.uri(), body.kind(), body.description(), body.sizeBytes(), body.sha256(), body.blob()));
        return ResponseEntity.status(added.created() ? HttpStatus.CREATED : HttpStatus.OK).body(added.artifact());
    }

    @GetMapping("/{artifactId}/file")
    @Operation(summary = "Download the blob an artifact names, as an attachment",
            description = "Served like GET /blobs/{sha256} (nosniff, sandbox CSP, immutable caching, Range → 206) with "
                    + "`Content-Disposition: attachment` and the artifact's name; 404 when the artifact names no blob.")
    @ApiResponse(responseCode = "200", description = "The file", content = @Content(mediaType = "*/*",
            schema = @Schema(type = "string", format = "binary")))
    void file(@PathVariable String slug, @PathVariable UUID id, @PathVariable UUID artifactId,
            @RequestHeader HttpHeaders headers, HttpServletResponse response) throws IOException {
        long projectId = access.require(slug, Permission.READ).projectId();
        ArtifactRecord artifact = artifacts.find(projectId, id, artifactId)
                .orElseThrow(() -> ProblemException.notFound("Artifact " + artifactId + " not found"));
        if (artifact.blob() == null) {
            throw ProblemException.notFound("Artifact " + artifactId + " names no stored file; its uri is "
                    + artifact.uri());
        }
        blobs.download(projectId, artifact.blob(), headers, artifact.name(), response);
    }

    @GetMapping
    @Operation(summary = "Artifact references of the run, oldest first")
    ArtifactList list(@PathVariable String slug, @PathVariable UUID id) {
        return new ArtifactList(artifacts.list(access.require(slug, Permission.READ).projectId(), id));
    }
}
