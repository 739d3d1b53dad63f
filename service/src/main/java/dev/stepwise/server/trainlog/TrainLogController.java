package dev.stepwise.server.trainlog;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess;
import dev.stepwise.server.run.RunResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/projects/{slug}")
@Tag(name = "trainlog", description = "TrainLog JSON interchange")
class TrainLogController {

    private final ProjectAccess access;
    private final TrainLogService trainLogs;
    private final TrainLogExporter exporter;

    TrainLogController(ProjectAccess access, TrainLogService trainLogs, TrainLogExporter exporter) {
        this.exporter = exporter;
        this.access = access;
        this.trainLogs = trainLogs;
    }

    @GetMapping("/runs/{id}/export/trainlog")
    @Operation(summary = "The run as TrainLog JSON: series aligned on the union of steps, \"NaN\" where a key did "
            + "not report; notes carry project, run_name, run_id, group, tags, config.*, artifact.*, status")
    void export(@PathVariable String slug, @PathVariable UUID id, HttpServletResponse response) throws IOException {
        long projectId = access.require(slug, Permission.READ).projectId();
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"run-" + id + ".trainlog.json\"");
        exporter.export(projectId, id, response.getOutputStream());
    }

    @PostMapping("/import/trainlog")
    @Operation(summary = "Import a TrainLog as a run (201); \"NaN\" placeholders are not stored",
            description = "Notes become name, group, tags, config and artifacts. Malformed input is a 400 naming "
                    + "the field. Extension: a file whose run_id note names an existing run of the project resumes "
                    + "it (200) and its points are stored exactly once however often it is imported.")
    ResponseEntity<RunResponse> importTrainLog(@PathVariable String slug, @RequestBody JsonNode body) {
        ProjectAccess.Granted granted = access.require(slug, Permission.WRITE);
        TrainLogService.Imported imported = trainLogs.importTrainLog(granted.projectId(), slug, body,
                granted.principal().describe());
        return ResponseEntity.status(imported.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(RunResponse.of(imported.run(), null));
    }
}
