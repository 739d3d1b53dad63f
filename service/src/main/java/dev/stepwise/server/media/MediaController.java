package dev.stepwise.server.media;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.media.MediaService.IngestResult;
import dev.stepwise.server.media.MediaService.MediaKey;
import dev.stepwise.server.media.MediaService.MediaPage;
import dev.stepwise.server.media.MediaService.MediaQuery;
import dev.stepwise.server.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{slug}/runs/{id}")
@Tag(name = "media", description = "Rich run data: content-addressed blobs, media items, media keys")
class MediaController {

    record MediaKeyList(List<MediaKey> keys) {}

    private final ProjectAccess access;
    private final MediaService media;

    MediaController(ProjectAccess access, MediaService media) {
        this.access = access;
        this.media = media;
    }

    @PostMapping(path = "/media", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Upload media items (exactly once per batchId)",
            description = "Body `{batchId?, items: [{key, step, epoch?, time?, type, blob?: sha256, data?, caption?}]}`, "
                    + "at most 1000 items (413). Types and payloads: image (blob image/png|jpeg|webp|gif, data "
                    + "{width, height}), audio (blob audio/wav|mpeg|ogg|flac, data {sampleRate?, durationS?}), video "
                    + "(blob video/mp4|webm or image/gif, data {fps?, width?, height?}), text (data {text} ≤ 1 MiB), "
                    + "histogram (data {edges: n+1 ascending, counts: n ≥ 0}, 1 ≤ n ≤ 1024), point_cloud (data "
                    + "{points: [[x,y,z] | [x,y,z,r,g,b]]} ≤ 200,000, colours 0–255), graph (data {nodes: [{id, "
                    + "label?, op?, shape?}], edges: [{source, target}]}), confusion_matrix (data {labels?, matrix} "
                    + "square, row = true class), table (data {columns, rows} ≤ 10,000 rows). All-or-nothing: 400 "
                    + "with `errors: [{field, message}]` for any bad item, a blob missing from the project, or a blob "
                    + "whose type does not fit. A repeated batchId stores nothing: `{accepted: 0, duplicate: true}`.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(example = "{\"batchId\":\"m-1\",\"items\":[{\"key\":\"samples\",\"step\":1,"
                            + "\"type\":\"text\",\"data\":{\"text\":\"hello\"}}]}"))))
    IngestResult upload(@PathVariable String slug, @PathVariable UUID id, HttpServletRequest request)
            throws IOException {
        long projectId = access.require(slug, Permission.WRITE).projectId();
        IngestResult result = media.ingest(projectId, id, request.getInputStream());
        return result;
    }

    @GetMapping("/media")
    @Operation(summary = "Media items of the run, by key, step, then upload order",
            description = "Filters: `key`, `type`, `fromStep`, `toStep` (inclusive). `limit` 1..1000 (default 50), "
                    + "`cursor` from the previous page's `nextCursor` (null at the end). Items with a blob carry "
                    + "`blob: {sha256, contentType, sizeBytes, url}`.")
    MediaPage list(@PathVariable String slug, @PathVariable UUID id, @RequestParam(required = false) String key,
            @RequestParam(required = false) String type,
            @RequestParam(required = false) Long fromStep, @RequestParam(required = false) Long toStep,
            @Parameter(description = "1..1000, default 50") @RequestParam(defaultValue = "50") int limit,
            @RequestParam(required = false) String cursor) {
        long projectId = access.require(slug, Permission.READ).projectId();
        if (limit < 1 || limit > 1000) {
            throw ProblemException.invalid("limit", "must be between 1 and 1000");
        }
        if (type != null && ItemType.fromWire(type).isEmpty()) {
            throw ProblemException.invalid("type", "must be one of image, audio, video, text, histogram, point_cloud, "
                    + "graph, confusion_matrix, table");
        }
        return media.list(projectId, slug, id, new MediaQuery(blankToNull(key), type, fromStep, toStep, limit,
                blankToNull(cursor)));
    }

    @GetMapping("/media/keys")
    @Operation(summary = "Media keys of the run with their type, item count and step range")
    MediaKeyList keys(@PathVariable String slug, @PathVariable UUID id) {
        return new MediaKeyList(media.keys(access.require(slug, Permission.READ).projectId(), id));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
