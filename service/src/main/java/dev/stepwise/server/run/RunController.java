package dev.stepwise.server.run;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.run.RunService.Created;
import dev.stepwise.server.run.RunService.ListParams;
import dev.stepwise.server.run.RunService.RunPage;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/projects/{slug}/runs")
@Tag(name = "runs", description = "Runs: create or resume, read, update, delete, heartbeat, list")
class RunController {

    record CreateRunRequest(UUID id, @Size(max = 250) String name, @Size(max = 250) String group,
            @Size(max = 100) List<@Size(min = 1, max = 100) String> tags,
            @Size(max = 2000) Map<@Size(min = 1, max = 250) String, JsonNode> config,
            @Size(max = 100_000) String notes) {}

    record PatchRunRequest(@Size(max = 250) String name, @Size(max = 250) String group,
            @Size(max = 100_000) String notes, RunStatus status,
            @Size(max = 100) List<@Size(min = 1, max = 100) String> tags,
            @Size(max = 2000) Map<@Size(min = 1, max = 250) String, JsonNode> config) {}

    record RunList(List<RunResponse> runs, String nextCursor) {}

    private final ProjectAccess access;
    private final RunService runs;
    private final RunSummaries metrics;

    RunController(ProjectAccess access, RunService runs, RunSummaries metrics) {
        this.access = access;
        this.runs = runs;
        this.metrics = metrics;
    }

    @PostMapping
    @Operation(summary = "Create a run (201), or resume the run with the same id (200, status back to RUNNING)")
    ResponseEntity<RunResponse> create(@PathVariable String slug, @Valid @RequestBody CreateRunRequest body) {
        ProjectAccess.Granted granted = access.require(slug, Permission.WRITE);
        Created created = runs.create(granted.projectId(), new RunService.NewRun(body.id(), body.name(), body.group(),
                body.tags(), body.config(), body.notes()), granted.principal().describe());
        return ResponseEntity.status(created.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(RunResponse.of(created.run(), null));
    }

    @GetMapping
    @Operation(summary = "List runs with filters, sort and cursor pagination",
            description = "filter: `FIELD OP VALUE` (repeatable, ANDed), OP one of = != < <= > >= ~ (substring); "
                    + "FIELD one of name, status, group, createdAt, config.<key>, summary.<metric key>.<stat> with stat "
                    + "in min max mean last n. Numbers compare numerically, strings lexically; quote a value "
                    + "(\"...\") to compare it as a string. sort: FIELD, '-' prefix for descending (default "
                    + "-createdAt). Extension: `summaryKey` (repeatable, or `*`) adds those keys' summaries to each run.")
    RunList list(@PathVariable String slug, @RequestParam(required = false) List<String> status,
            @RequestParam(required = false) String group, @RequestParam(required = false) List<String> tag,
            @RequestParam(required = false) String q, @RequestParam(required = false) List<String> filter,
            @RequestParam(required = false) String sort,
            @Parameter(description = "1..1000, default 50") @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            @RequestParam(required = false) List<String> summaryKey) {
        long projectId = access.require(slug, Permission.READ).projectId();
        RunPage page = runs.list(projectId, new ListParams(status, group, tag, q, filter, sort, limit, cursor));
        boolean withSummaries = summaryKey != null && !summaryKey.isEmpty();
        Map<UUID, Map<String, SummaryView>> summaries = !withSummaries ? Map.of()
                : metrics.of(page.runs().stream().map(RunRecord::id).toList(),
                        summaryKey.contains("*") ? null : summaryKey);
        return new RunList(page.runs().stream()
                .map(r -> RunResponse.of(r, withSummaries ? summaries.getOrDefault(r.id(), Map.of()) : null))
                .toList(), page.nextCursor());
    }

    @GetMapping("/aggregate")
    @Operation(summary = "Mean, std, min, max and n of a metric statistic across the runs of each group",
            description = "Groups the runs that match the run list's filters (status, group, tag, q, filter) by the "
                    + "`by` fields (1 to 5; name, status, group, createdAt or config.<key>) and reduces "
                    + "`metric` = `<metric key>.<stat>` (stat in min max mean last n, e.g. val/acc.max) of each run: "
                    + "`runs` counts the runs of a group, `n` those with a finite value, and mean, std (population), "
                    + "min and max cover those (null when n is 0). A seed's trial groups that differ only in seed: "
                    + "by=config.lr&by=config.hidden&metric=val/acc.max. At most 1000 groups (`truncated` otherwise).")
    RunService.Aggregation aggregate(@PathVariable String slug,
            @Parameter(description = "Field to group by (repeatable): name, status, group, createdAt, config.<key>")
            @RequestParam(required = false) List<String> by,
            @Parameter(description = "<metric key>.<stat>, stat one of min max mean last n")
            @RequestParam(required = false) String metric,
            @RequestParam(required = false) List<String> status,
            @RequestParam(required = false) String group, @RequestParam(required = false) List<String> tag,
            @RequestParam(required = false) String q, @RequestParam(required = false) List<String> filter) {
        long projectId = access.require(slug, Permission.READ).projectId();
        return runs.aggregate(projectId, new RunService.AggregateParams(by, metric, status, group, tag, q, filter));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One run with its per-key summary")
    RunResponse get(@PathVariable String slug, @PathVariable UUID id) {
        long projectId = access.require(slug, Permission.READ).projectId();
        return RunResponse.of(runs.get(projectId, id), metrics.of(id));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change name, group, notes, status, tags (replaced) or config (keys merged; null removes a key)",
            description = "A final status (FINISHED, FAILED, KILLED) may only be followed by RUNNING (resume): 409 otherwise. "
                    + "`status` also takes the seed tracker's words `completed` (FINISHED) and `failed` (FAILED).")
    RunResponse update(@PathVariable String slug, @PathVariable UUID id, @Valid @RequestBody PatchRunRequest body) {
        long projectId = access.require(slug, Permission.WRITE).projectId();
        return RunResponse.of(runs.update(projectId, id, new RunService.RunChanges(body.name(), body.group(),
                body.notes(), body.status(), body.tags(), body.config())), null);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete the run and all its data")
    ResponseEntity<Void> delete(@PathVariable String slug, @PathVariable UUID id) {
        runs.delete(access.require(slug, Permission.WRITE).projectId(), id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/heartbeat")
    @Operation(summary = "The trainer is alive; a CRASHED run becomes RUNNING again")
    ResponseEntity<Void> heartbeat(@PathVariable String slug, @PathVariable UUID id) {
        runs.heartbeat(access.require(slug, Permission.WRITE).projectId(), id);
        return ResponseEntity.noContent().build();
    }
}
