package dev.stepwise.server.run;

import dev.stepwise.server.config.StepwiseProperties;
import dev.stepwise.server.web.ProblemException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.StringNode;

/**
 * Runs of a project. Callers have already checked access to the project; every method also
 * checks that the run belongs to it (404 otherwise).
 */
@Service
public class RunService {

    /** Fields of a new run; all optional. */
    public record NewRun(UUID id, String name, String group, List<String> tags, Map<String, JsonNode> config,
            String notes) {}

    /** A PATCH: null fields stay as they are; {@code config} merges keys (null value removes one). */
    public record RunChanges(String name, String group, String notes, RunStatus status, List<String> tags,
            Map<String, JsonNode> config) {}

    /** The outcome of a create: the run and whether this call created it (false: resumed). */
    public record Created(RunRecord run, boolean created) {}

    /** A page of the run list. */
    public record RunPage(List<RunRecord> runs, String nextCursor) {}

    /** Run list parameters as in the API. */
    public record ListParams(List<String> status, String group, List<String> tag, String q, List<String> filter,
            String sort, Integer limit, String cursor) {}

    /** Aggregation parameters: group fields, the metric statistic, and the run list's filters. */
    public record AggregateParams(List<String> by, String metric, List<String> status, String group,
            List<String> tag, String q, List<String> filter) {}

    /**
     * One group of an aggregation: its key (field → value; null when runs lack the field), the number
     * of runs, the number with a finite metric value, and the statistics over those (null when none).
     */
    public record GroupStats(Map<String, JsonNode> key, long runs, long n, Double mean, Double std, Double min,
            Double max) {}

    /** An aggregation answer; {@code truncated} when more than the returned groups exist. */
    public record Aggregation(List<String> by, String metric, List<GroupStats> groups, boolean truncated) {}

    private final RunStore store;
    private final RunSummaries summaries;
    private final NamedParameterJdbcTemplate named;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final StepwiseProperties properties;

    private final JsonMapper json;

    RunService(RunStore store, RunSummaries summaries, NamedParameterJdbcTemplate named,
            ApplicationEventPublisher events, Clock clock, StepwiseProperties properties,
            JsonMapper json) {
        this.json = json;
        this.store = store;
        this.summaries = summaries;
        this.named = named;
        this.events = events;
        this.clock = clock;
        this.properties = properties;
    }

    /** Creates a run, or resumes the run with the same id: it is RUNNING again and keeps its data. */
    @Transactional
    public Created create(long projectId, NewRun request, String createdBy) {
        UUID id = request.id() != null ? request.id() : UUID.randomUUID();
        Instant now = clock.instant();
        boolean created = store.insert(id, projectId, request.name(), request.group(), request.notes(), createdBy, now);
        if (created) {
            store.addTags(id, tags(request.tags()));
            if (request.config() != null) {
                store.mergeConfig(id, request.config());
            }
        } else {
            long owner = store.projectOf(id).orElseThrow();
            if (owner != projectId) {
                throw ProblemException.conflict("Run id " + id + " is already used by another project");
            }
            if (store.lockStatus(projectId, id).orElseThrow() != RunStatus.RUNNING) {
                store.transition(id, RunStatus.RUNNING, now);
            }
            store.touch(projectId, id, now, true);
        }
        return new Created(get(projectId, id), created);
    }

    @Transactional(readOnly = true)
    public RunRecord get(long projectId, UUID id) {
        return store.find(projectId, id).orElseThrow(() -> notFound(id));
    }

    @Transactional
    public RunRecord update(long projectId, UUID id, RunChanges changes) {
        RunStatus status = store.lockStatus(projectId, id).orElseThrow(() -> notFound(id));
        if (changes.status() != null && changes.status() != status) {
            if (status.terminal() && changes.status() != RunStatus.RUNNING) {
                throw ProblemException.conflict("Run is already " + status
                        + "; only RUNNING (resume) can follow a final status");
            }
            store.transition(id, changes.status(), clock.instant());
        }
        store.updateFields(id, changes.name(), changes.group(), changes.notes());
        if (changes.tags() != null) {
            store.replaceTags(id, tags(changes.tags()));
        }
        if (changes.config() != null) {
            store.mergeConfig(id, changes.config());
        }
        return get(projectId, id);
    }

    @Transactional
    public void delete(long projectId, UUID id) {
        store.lockStatus(projectId, id).orElseThrow(() -> notFound(id));
        events.publishEvent(new RunDeleted(id, projectId));
        store.delete(id);
    }

    /** A heartbeat: the run is alive; a CRASHED run becomes RUNNING again. */
    @Transactional
    public void heartbeat(long projectId, UUID id) {
        if (store.touch(projectId, id, clock.instant(), true) == 0) {
            throw notFound(id);
        }
    }

    /** Records an upload for the run (404 if it is not in the project); a CRASHED run becomes RUNNING. */
    @Transactional
    public void recordActivity(long projectId, UUID id) {
        if (store.touch(projectId, id, clock.instant(), false) == 0) {
            throw notFound(id);
        }
    }

    /** Checks that the run exists in the project. */
    @Transactional(readOnly = true)
    public void requireExists(long projectId, UUID id) {
        if (store.projectOf(id).filter(p -> p == projectId).isEmpty()) {
            throw notFound(id);
        }
    }

    /** The id of the project that holds run {@code id}, if the run exists (callers then check access to it). */
    @Transactional(readOnly = true)
    public Optional<Long> projectOf(UUID id) {
        return store.projectOf(id);
    }

    /** True when {@code id} names a run of a different project. */
    @Transactional(readOnly = true)
    public boolean usedByAnotherProject(long projectId, UUID id) {
        return store.projectOf(id).filter(p -> p != projectId).isPresent();
    }

    @Transactional(readOnly = true)
    public RunPage list(long projectId, ListParams params) {
        RunListQuery query = new RunListQuery(projectId, summaries)
                .statuses(params.status()).group(params.group()).tags(params.tag()).text(params.q())
                .filters(params.filter()).sort(params.sort()).page(params.limit(), params.cursor());
        List<UUID> ids = named.queryForList(query.sql(), query.params(), UUID.class);
        String next = query.nextCursor(ids.size());
        List<UUID> page = ids.size() > query.limit() ? ids.subList(0, query.limit()) : ids;
        return new RunPage(store.findAll(page), next);
    }

    /** Mean, std, min, max and n of a metric statistic across the filtered runs of each group, in SQL. */
    @Transactional(readOnly = true)
    public Aggregation aggregate(long projectId, AggregateParams params) {
        RunListQuery query = new RunListQuery(projectId, summaries)
                .statuses(params.status()).group(params.group()).tags(params.tag()).text(params.q())
                .filters(params.filter());
        String sql = query.aggregateSql(params.by(), params.metric());
        List<String> by = params.by();
        List<GroupStats> groups = named.query(sql, query.params(), (rs, i) -> {
            Map<String, JsonNode> key = new LinkedHashMap<>();
            for (int k = 0; k < by.size(); k++) {
                String text = rs.getString(k + 1);
                JsonNode node;
                if (text == null) {
                    node = NullNode.getInstance();
                } else if (by.get(k).startsWith("config.")) {
                    node = json.readTree(text);
                } else {
                    node = StringNode.valueOf(text);
                }
                key.put(by.get(k), node);
            }
            int c = by.size();
            return new GroupStats(key, rs.getLong(c + 1), rs.getLong(c + 2), nullable(rs, c + 3), nullable(rs, c + 4),
                    nullable(rs, c + 5), nullable(rs, c + 6));
        });
        boolean truncated = groups.size() > RunListQuery.MAX_GROUPS;
        return new Aggregation(by, params.metric(), truncated ? groups.subList(0, RunListQuery.MAX_GROUPS) : groups,
                truncated);
    }

    private static Double nullable(ResultSet rs, int column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    /** Marks RUNNING runs without heartbeat or upload for {@code stepwise.runs.crash-after} as CRASHED. */
    @Scheduled(fixedDelayString = "${stepwise.runs.sweep-interval:30s}", initialDelayString = "${stepwise.runs.sweep-interval:30s}")
    @Transactional
    public int sweepCrashedRuns() {
        Instant now = clock.instant();
        return store.markCrashed(now.minus(properties.runs().crashAfter()), now);
    }

    private static List<String> tags(List<String> tags) {
        return tags == null ? List.of() : List.copyOf(new LinkedHashSet<>(tags));
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("Run " + id + " not found");
    }
}
