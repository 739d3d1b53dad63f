package dev.stepwise.server.project;

import dev.stepwise.server.auth.AuditLog;
import dev.stepwise.server.auth.MembershipService;
import dev.stepwise.server.web.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Projects: create, look up, list. Access checks are the caller's job (see ProjectAccess). */
@Service
public class ProjectService {

    /** A project as other features see it. */
    public record ProjectInfo(long id, String slug, String name, String description, Instant createdAt) {}

    private static final int MAX_REMEMBERED = 100_000;

    // Every request names its project; slug and id lookups are served from memory once seen.
    private final Map<String, ProjectInfo> bySlug = new ConcurrentHashMap<>();
    private final Map<Long, ProjectInfo> byId = new ConcurrentHashMap<>();
    private final ProjectRepository projects;
    private final MembershipService memberships;
    private final AuditLog auditLog;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    ProjectService(ProjectRepository projects, MembershipService memberships, AuditLog auditLog, JdbcTemplate jdbc,
            Clock clock) {
        this.projects = projects;
        this.memberships = memberships;
        this.auditLog = auditLog;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Creates a project owned by {@code ownerId}; 409 if the slug is taken. */
    @Transactional
    public ProjectInfo create(String slug, String name, String description, long ownerId, String actor) {
        if (projects.existsBySlug(slug)) {
            throw ProblemException.conflict("Project slug '" + slug + "' is already taken");
        }
        Project project;
        try {
            project = projects.saveAndFlush(new Project(slug, name, description, ownerId, clock.instant()));
        } catch (DataIntegrityViolationException e) {
            throw ProblemException.conflict("Project slug '" + slug + "' is already taken");
        }
        memberships.addOwner(project.getId(), ownerId);
        auditLog.record(AuditLog.PROJECT_CREATED, actor, project.getId(), slug, Map.of());
        return info(project);
    }

    /** Looks a project up by slug; found projects are remembered (projects are never renamed or deleted). */
    @Transactional(readOnly = true)
    public Optional<ProjectInfo> find(String slug) {
        ProjectInfo known = bySlug.get(slug);
        if (known != null) {
            return Optional.of(known);
        }
        return projects.findBySlug(slug).map(ProjectService::info).map(this::remember);
    }

    @Transactional(readOnly = true)
    public Optional<ProjectInfo> findById(long id) {
        ProjectInfo known = byId.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        return projects.findById(id).map(ProjectService::info).map(this::remember);
    }

    private ProjectInfo remember(ProjectInfo project) {
        if (bySlug.size() < MAX_REMEMBERED) {
            bySlug.put(project.slug(), project);
            byId.put(project.id(), project);
        }
        return project;
    }

    @Transactional(readOnly = true)
    public List<ProjectInfo> listAll() {
        return projects.findAllByOrderBySlugAsc().stream().map(ProjectService::info).toList();
    }

    @Transactional(readOnly = true)
    public List<ProjectInfo> list(Collection<Long> ids) {
        return ids.isEmpty() ? List.of()
                : projects.findByIdInOrderBySlugAsc(ids).stream().map(ProjectService::info).toList();
    }

    /** Number of runs per project id. */
    @Transactional(readOnly = true)
    public Map<Long, Long> runCounts(Collection<Long> ids) {
        Map<Long, Long> counts = new HashMap<>();
        if (ids.isEmpty()) {
            return counts;
        }
        jdbc.query("select project_id, count(*) from runs where project_id = any(?) group by project_id",
                rs -> {
                    counts.put(rs.getLong(1), rs.getLong(2));
                },
                (Object) ids.toArray(Long[]::new));
        return counts;
    }

    private static ProjectInfo info(Project p) {
        return new ProjectInfo(p.getId(), p.getSlug(), p.getName(), p.getDescription(), p.getCreatedAt());
    }
}
