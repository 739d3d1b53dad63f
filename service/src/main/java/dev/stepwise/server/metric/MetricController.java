package dev.stepwise.server.metric;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.metric.EpochReducer.EpochValue;
import dev.stepwise.server.metric.EpochReducer.Rule;
import dev.stepwise.server.metric.MetricIngestService.IngestResult;
import dev.stepwise.server.metric.SeriesDownsampler.Axis;
import dev.stepwise.server.metric.SeriesDownsampler.Series;
import dev.stepwise.server.run.RunService;
import dev.stepwise.server.run.SummaryView;
import dev.stepwise.server.web.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{slug}")
@Tag(name = "metrics", description = "Metric upload, summaries, downsampled series and epoch summaries")
class MetricController {

    record MetricList(List<MetricSummary> metrics) {}

    record SeriesPoints(List<Long> x, List<Double> y, List<Double> yMin, List<Double> yMax) {}

    record SeriesResponse(String key, String x, long total, boolean downsampled, SeriesPoints points) {}

    record EpochList(List<EpochValue> epochs) {}

    record RuleView(@NotBlank @Size(max = 250) String pattern, @NotNull EpochReduction reduction) {}

    record RuleList(@NotNull @Size(max = 200) List<@Valid RuleView> rules) {}

    private final ProjectAccess access;
    private final RunService runs;
    private final MetricIngestService ingest;
    private final MetricReads reads;
    private final SeriesDownsampler downsampler;
    private final EpochReducer epochs;

    MetricController(ProjectAccess access, RunService runs, MetricIngestService ingest, MetricReads reads,
            SeriesDownsampler downsampler, EpochReducer epochs) {
        this.access = access;
        this.runs = runs;
        this.ingest = ingest;
        this.reads = reads;
        this.downsampler = downsampler;
        this.epochs = epochs;
    }

    @PostMapping(path = "/runs/{id}/metrics", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Upload metric points (exactly once per batchId)",
            description = "Body `{batchId?, points: [{key, step, value, epoch?, time?}]}`; values are numbers or "
                    + "\"NaN\"/\"Infinity\"/\"-Infinity\". All-or-nothing: 400 lists the index and reason of the "
                    + "first bad points (`invalidPoints`). At most 50,000 points and 16 MiB uncompressed (413). "
                    + "May be gzip-compressed. A repeated batchId stores nothing: `{accepted: 0, duplicate: true}`.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    schema = @Schema(example = "{\"batchId\":\"b-1\",\"points\":[{\"key\":\"train/loss\",\"step\":1,"
                            + "\"value\":0.5,\"epoch\":0}]}"))))
    IngestResult upload(@PathVariable String slug, @PathVariable UUID id, HttpServletRequest request)
            throws IOException {
        long projectId = access.require(slug, Permission.WRITE).projectId();
        // The body is streamed into columns rather than bound to objects: uploads are the hot path.
        return ingest.ingest(projectId, id, request.getInputStream());
    }

    @GetMapping("/runs/{id}/metrics")
    @Operation(summary = "Summary of every metric key of the run")
    MetricList metrics(@PathVariable String slug, @PathVariable UUID id) {
        runs.requireExists(access.require(slug, Permission.READ).projectId(), id);
        return new MetricList(reads.summaries(id));
    }

    @GetMapping("/runs/{id}/summary")
    @Operation(summary = "Per-key summary in the seed tracker's shape (min, max, mean, std, last, n, first_step, last_step)")
    Map<String, SummaryView> summary(@PathVariable String slug, @PathVariable UUID id) {
        runs.requireExists(access.require(slug, Permission.READ).projectId(), id);
        Map<String, SummaryView> result = new LinkedHashMap<>();
        reads.summaries(id).forEach(s -> result.put(s.key(), RunSummaryReads.view(s)));
        return result;
    }

    @GetMapping("/runs/{id}/series")
    @Operation(summary = "One key's points, downsampled to at most maxPoints spike-preserving buckets",
            description = "Each bucket reports its last point (x, y) and yMin/yMax over every raw point in it. "
                    + "`x=step` (default), `epoch` (points without an epoch are skipped) or `time` (epoch ms). "
                    + "`from`/`to` bound the x range (for x=time: ISO-8601 or epoch ms).")
    SeriesResponse series(@PathVariable String slug, @PathVariable UUID id, @RequestParam String key,
            @RequestParam(defaultValue = "step") String x,
            @Parameter(description = "1..10000, default 1000") @RequestParam(defaultValue = "1000") int maxPoints,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to) {
        long projectId = access.require(slug, Permission.READ).projectId();
        runs.requireExists(projectId, id);
        Axis axis = switch (x.toLowerCase(Locale.ROOT)) {
            case "step" -> Axis.STEP;
            case "epoch" -> Axis.EPOCH;
            case "time" -> Axis.TIME;
            default -> throw ProblemException.invalid("x", "must be step, epoch or time");
        };
        if (maxPoints < 1 || maxPoints > 10_000) {
            throw ProblemException.invalid("maxPoints", "must be between 1 and 10000");
        }
        Long lo = bound("from", from, axis);
        Long hi = bound("to", to, axis);
        Series series = reads.series(id, key).map(ref -> downsampler.series(ref, axis, maxPoints, lo, hi))
                .orElseThrow(() -> ProblemException.notFound("Run " + id + " has no metric '" + key + "'"));
        return new SeriesResponse(key, axis.name().toLowerCase(Locale.ROOT), series.total(), series.downsampled(),
                new SeriesPoints(series.x(), series.y(), series.yMin(), series.yMax()));
    }

    private static Long bound(String name, String value, Axis axis) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            if (axis == Axis.TIME) {
                try {
                    return Instant.parse(value.trim()).toEpochMilli();
                } catch (DateTimeParseException ignored) {
                    // fall through to the problem below
                }
            }
            throw ProblemException.invalid(name, axis == Axis.TIME ? "must be ISO-8601 or epoch milliseconds"
                    : "must be an integer");
        }
    }

    @GetMapping("/runs/{id}/epochs")
    @Operation(summary = "Per-epoch summaries: one reduced value per key and epoch",
            description = "Default reduction by the key's last '/'-segment: lr, learning_rate, iter_budget → last; "
                    + "grad_norm, error_min/med/max, iter_min/med/max → median; time → max; else mean. "
                    + "Project overrides: /projects/{slug}/epoch-reductions.")
    EpochList epochs(@PathVariable String slug, @PathVariable UUID id, @RequestParam(required = false) String key) {
        long projectId = access.require(slug, Permission.READ).projectId();
        runs.requireExists(projectId, id);
        return new EpochList(epochs.epochs(projectId, id, key));
    }

    @GetMapping("/epoch-reductions")
    @Operation(summary = "Per-project overrides of the epoch reduction by key pattern (glob, '*' = any characters)")
    RuleList rules(@PathVariable String slug) {
        long projectId = access.require(slug, Permission.READ).projectId();
        return new RuleList(epochs.rules(projectId).stream().map(r -> new RuleView(r.pattern(), r.reduction())).toList());
    }

    @PutMapping("/epoch-reductions")
    @Operation(summary = "Replace the per-project reduction overrides (WRITER); the first matching rule in list order wins")
    RuleList replaceRules(@PathVariable String slug, @Valid @RequestBody RuleList body) {
        long projectId = access.require(slug, Permission.WRITE).projectId();
        epochs.replaceRules(projectId, body.rules().stream().map(r -> new Rule(r.pattern(), r.reduction())).toList());
        return rules(slug);
    }
}
