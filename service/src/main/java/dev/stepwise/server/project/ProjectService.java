package dev.stepwise.server.project;

import dev.stepwise.server.web.ProblemException;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
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
    /** How long a replica may show a project's old name after another replica renamed it. */
    static final Duration REMEMBERED_FOR = Duration.ofSeconds(10);

    // Every request names its project: lookups are served from memory for a few seconds. Slugs and
    // ids never change; a rename is seen at once here and within REMEMBERED_FOR on other replicas.
    private final Cache<String, ProjectInfo> bySlug = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(REMEMBERED_FOR).build();
    private final Cache<Long, ProjectInfo> byId = Caffeine.newBuilder().maximumSize(MAX_REMEMBERED)
            .expireAfterWrite(REMEMBERED_FOR).build();
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

    /** Looks a project up by slug; found projects are remembered for a few seconds. */
    @Transactional(readOnly = true)
    public Optional<ProjectInfo> find(String slug) {
        ProjectInfo known = bySlug.getIfPresent(slug);
        if (known != null) {
            return Optional.of(known);
        }
        return projects.findBySlug(slug).map(ProjectService::info).map(this::remember);
    }

    @Transactional(readOnly = true)
    public Optional<ProjectInfo> findById(long id) {
        ProjectInfo known = byId.getIfPresent(id);
        if (known != null) {
            return Optional.of(known);
        }
        return projects.findById(id).map(ProjectService::info).map(this::remember);
    }

    private ProjectInfo remember(ProjectInfo project) {
        bySlug.put(project.slug(), project);
        byId.put(project.id(), project);
        return project;
    }

    /** Gives the project a new display name (its slug, the key of every URL, never changes). */
    @Transactional
    public ProjectInfo rename(long id, String name) {
        Project project = projects.findById(id)
                .orElseThrow(() -> ProblemException.notFound("Project " + id + " not found"));
        project.setName(name);
        ProjectInfo renamed = info(projects.saveAndFlush(project));
        return remember(renamed);
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
