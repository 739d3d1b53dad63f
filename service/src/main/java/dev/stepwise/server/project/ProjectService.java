package dev.stepwise.server.project;

import dev.stepwise.server.web.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Projects: create (publishing {@link ProjectCreated}), look up, list. Access checks are the
 * caller's job (the access module's {@code ProjectAccess}).
 */
@Service
public class ProjectService {

    /** A project as other features see it. */
    public record ProjectInfo(long id, String slug, String name, String description, Instant createdAt) {}

    private static final int MAX_REMEMBERED = 100_000;

    // Every request names its project; slug and id lookups are served from memory once seen.
    private final Map<String, ProjectInfo> bySlug = new ConcurrentHashMap<>();
    private final Map<Long, ProjectInfo> byId = new ConcurrentHashMap<>();
    private final ProjectRepository projects;
    private final ApplicationEventPublisher events;
    private final JdbcTemplate jdbc;
    private final Clock clock;

    ProjectService(ProjectRepository projects, ApplicationEventPublisher events, JdbcTemplate jdbc, Clock clock) {
        this.projects = projects;
        this.events = events;
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
        events.publishEvent(new ProjectCreated(project.getId(), slug, ownerId, actor));
        return info(project);
    }

    /**
     * Locks the project's row until the caller's transaction ends, so that changes to what belongs to
     * the project (members, keys) made by concurrent requests happen one after the other.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(long projectId) {
        jdbc.query("select 1 from projects where id = ? for update", rs -> {}, projectId);
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

    private static ProjectInfo info(Project p) {
        return new ProjectInfo(p.getId(), p.getSlug(), p.getName(), p.getDescription(), p.getCreatedAt());
    }
}
