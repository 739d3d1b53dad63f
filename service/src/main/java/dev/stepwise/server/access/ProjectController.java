package dev.stepwise.server.access;

import dev.stepwise.server.auth.CurrentPrincipal;
import dev.stepwise.server.auth.StepwiseUser;
import dev.stepwise.server.project.ProjectService;
import dev.stepwise.server.project.ProjectService.ProjectInfo;
import dev.stepwise.server.project.RunCounter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects")
@Tag(name = "projects", description = "Projects visible to the caller")
class ProjectController {

    record CreateProjectRequest(
            @NotBlank @Pattern(regexp = "^[a-z0-9][a-z0-9-]{1,62}$",
                    message = "must match ^[a-z0-9][a-z0-9-]{1,62}$") String slug,
            @NotBlank @Size(max = 200) String name,
            @Size(max = 10_000) String description) {}

    /** {@code role} is the caller's role (keys: READER or WRITER by scope; null for a non-member admin). */
    record ProjectResponse(String slug, String name, String description, ProjectRole role, long runCount,
            Instant createdAt) {}

    record ProjectList(List<ProjectResponse> projects) {}

    private final ProjectService projects;
    private final ProjectAccess access;
    private final RunCounter runs;

    ProjectController(ProjectService projects, ProjectAccess access, RunCounter runs) {
        this.projects = projects;
        this.access = access;
        this.runs = runs;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a project; the caller becomes OWNER; 409 if the slug is taken (users only)")
    ProjectResponse create(@Valid @RequestBody CreateProjectRequest body) {
        StepwiseUser user = CurrentPrincipal.user();
        ProjectInfo created = projects.create(body.slug(), body.name(), body.description(), user.id(),
                user.describe());
        return response(created, ProjectRole.OWNER, 0);
    }

    @GetMapping
    @Operation(summary = "Projects visible to the caller (admins see all; a key sees its own project)")
    ProjectList list() {
        Map<Long, ProjectRole> roles = access.rolesOfCaller();
        List<ProjectInfo> visible = access.callerIsAdmin() ? projects.listAll() : projects.list(roles.keySet());
        Map<Long, Long> counts = runs.runCounts(visible.stream().map(ProjectInfo::id).toList());
        return new ProjectList(visible.stream()
                .map(p -> response(p, roles.get(p.id()), counts.getOrDefault(p.id(), 0L)))
                .toList());
    }

    @GetMapping("/{slug}")
    @Operation(summary = "One project (READER+); 404 when the caller cannot see it")
    ProjectResponse get(@PathVariable String slug) {
        ProjectAccess.Granted granted = access.require(slug, Permission.READ);
        long count = runs.runCounts(List.of(granted.projectId())).getOrDefault(granted.projectId(), 0L);
        return response(granted.project(), granted.role(), count);
    }

    private static ProjectResponse response(ProjectInfo p, ProjectRole role, long runCount) {
        return new ProjectResponse(p.slug(), p.name(), p.description(), role, runCount, p.createdAt());
    }
}
