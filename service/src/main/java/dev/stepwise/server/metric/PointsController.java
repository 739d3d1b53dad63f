package dev.stepwise.server.metric;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.metric.RawPointReader.Page;
import dev.stepwise.server.run.RunService;
import dev.stepwise.server.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /runs/{id}/points}: the full raw history of one key, paged. */
@RestController
@RequestMapping("/api/v1/projects/{slug}")
@Tag(name = "metrics")
class PointsController {

    record PointColumns(long[] step,
            @Schema(description = "numbers, or \"NaN\"/\"Infinity\"/\"-Infinity\"") double[] value,
            @Schema(description = "null where a point has no epoch") Integer[] epoch, Instant[] time) {}

    record PointPage(String key, PointColumns points,
            @Schema(description = "pass as cursor for the next page; null on the last page") String nextCursor) {}

    private final ProjectAccess access;
    private final RunService runs;
    private final MetricReads reads;
    private final RawPointReader points;

    PointsController(ProjectAccess access, RunService runs, MetricReads reads, RawPointReader points) {
        this.access = access;
        this.runs = runs;
        this.reads = reads;
        this.points = points;
    }

    @GetMapping("/runs/{id}/points")
    @Operation(summary = "Every raw point of one key in step order (then upload order), paged, nothing downsampled",
            description = "Columns `step`, `value`, `epoch` (null where none), `time` (ISO-8601). Follow `nextCursor` "
                    + "until it is null to read the whole history. A key the run never logged answers an empty "
                    + "page; an unknown run 404; a bad `limit` or `cursor` 400.")
    PointPage points(@PathVariable String slug, @PathVariable UUID id, @RequestParam String key,
            @Parameter(description = "1..100000, default 10000") @RequestParam(defaultValue = "10000") int limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor) {
        long projectId = access.require(slug, Permission.READ).projectId();
        runs.requireExists(projectId, id);
        if (limit < 1 || limit > RawPointReader.MAX_LIMIT) {
            throw ProblemException.invalid("limit", "must be between 1 and " + RawPointReader.MAX_LIMIT);
        }
        RawPointReader.Position after = RawPointReader.decodeCursor(cursor);
        Page page = reads.series(id, key).map(ref -> points.page(ref.id(), after, limit)).orElseGet(Page::empty);
        return new PointPage(key, new PointColumns(page.step(), page.value(), page.epoch(), page.time()),
                page.nextCursor());
    }
}
