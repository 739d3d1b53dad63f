package dev.stepwise.server.media;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.media.BlobService.BlobInfo;
import dev.stepwise.server.media.BlobService.Uploaded;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{slug}/blobs/{sha256}")
@Tag(name = "media", description = "Rich run data: content-addressed blobs, media items, media keys")
class BlobController {

    /** What an upload answers. */
    record BlobResponse(String sha256, String contentType, long sizeBytes, String url) {}

    private final ProjectAccess access;
    private final BlobService blobs;

    BlobController(ProjectAccess access, BlobService blobs) {
        this.access = access;
        this.blobs = blobs;
    }

    @PutMapping
    @Operation(summary = "Upload a blob under its SHA-256 (content-addressed)",
            description = "Raw bytes with their Content-Type. The SHA-256 is checked while the body streams in "
                    + "(400 on mismatch; nothing is stored). At most STEPWISE_MAX_BLOB_BYTES (default 64 MiB, 413). "
                    + "Media blobs: image/png, image/jpeg, image/webp, image/gif, audio/wav, audio/mpeg, audio/ogg, "
                    + "audio/flac, video/mp4, video/webm; other types (SVG, HTML, unknown) answer 415. "
                    + "Extension: `purpose=artifact` accepts any type for an artifact file, which is only ever "
                    + "served as an attachment.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary"))))
    @ApiResponse(responseCode = "201", description = "Stored")
    @ApiResponse(responseCode = "200", description = "The project already held this blob; nothing stored")
    @ApiResponse(responseCode = "400", description = "The body's SHA-256 differs from the path")
    @ApiResponse(responseCode = "413", description = "Over STEPWISE_MAX_BLOB_BYTES")
    @ApiResponse(responseCode = "415", description = "No media type allows this Content-Type")
    ResponseEntity<BlobResponse> upload(@PathVariable String slug, @PathVariable String sha256,
            @RequestHeader(value = HttpHeaders.CONTENT_TYPE, required = false) String contentType,
            @Parameter(description = "`artifact` to accept any content type (served as attachment)")
            @RequestParam(required = false) String purpose, HttpServletRequest request) throws IOException {
        long projectId = access.require(slug, Permission.WRITE).projectId();
        boolean artifact = "artifact".equals(purpose);
        if (purpose != null && !artifact) {
            throw dev.stepwise.server.web.ProblemException.invalid("purpose", "must be 'artifact' when given");
        }
        Uploaded uploaded = blobs.upload(projectId, sha256, contentType, request.getContentLengthLong(),
                request.getInputStream(), artifact);
        BlobInfo b = uploaded.blob();
        return ResponseEntity.status(uploaded.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new BlobResponse(b.sha256(), b.contentType(), b.sizeBytes(), MediaService.blobUrl(slug, b.sha256())));
    }

    @GetMapping
    @Operation(summary = "Download a blob",
            description = "The bytes with their stored type, `X-Content-Type-Options: nosniff`, "
                    + "`Content-Security-Policy: sandbox`, `Cache-Control: private, max-age=31536000, immutable`, "
                    + "ETag = the SHA-256 (If-None-Match → 304). One `Range` → 206 (416 when unsatisfiable). "
                    + "A blob of another project is 404 even when its hash is known.")
    @ApiResponse(responseCode = "200", description = "The bytes", content = @Content(mediaType = "*/*",
            schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "206", description = "The requested range")
    @ApiResponse(responseCode = "404", description = "The project holds no such blob")
    void download(@PathVariable String slug, @PathVariable String sha256, @RequestHeader HttpHeaders headers,
            HttpServletResponse response) throws IOException {
        long projectId = access.require(slug, Permission.READ).projectId();
        blobs.download(projectId, sha256, headers, null, response);
    }
}
