package dev.stepwise.server.run;

import dev.stepwise.server.project.ProjectService;
import dev.stepwise.server.project.ProjectService.ProjectInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one persistence model of runs, in plain SQL: idempotent creation, activity and crash marking
 * as single statements (so concurrent creates, heartbeats, uploads and sweeps on several replicas
 * cannot lose each other's updates), changes under a row lock taken by {@link #lockStatus}, config
 * entries as JSON values, and loading runs with tags and config for reads.
 */
@Repository
class RunStore {

    private static final String COLUMNS = "r.id, r.project_id, r.name, r.run_group, r.notes, r.status, "
            + "r.created_at, r.started_at, r.ended_at, r.heartbeat_at, r.created_by";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final ProjectService projects;

    RunStore(JdbcTemplate jdbc, JsonMapper json, ProjectService projects) {
        this.jdbc = jdbc;
        this.json = json;
        this.projects = projects;
    }

    /** Inserts the run unless its id exists; true when this call created it. */
    boolean insert(UUID id, long projectId, String name, String group, String notes, String createdBy, Instant now) {
        return jdbc.update("insert into runs (id, project_id, name, run_group, notes, status, created_at, started_at, "
                        + "heartbeat_at, active_at, created_by) values (?, ?, ?, ?, ?, 'RUNNING', ?, ?, ?, ?, ?) "
                        + "on conflict (id) do nothing",
                id, projectId, name, group, notes, ts(now), ts(now), ts(now), ts(now), createdBy) == 1;
    }

    Optional<Long> projectOf(UUID id) {
        return jdbc.query("select project_id from runs where id = ?", rs -> rs.next() ? Optional.of(rs.getLong(1))
                : Optional.<Long>empty(), id);
    }

    Optional<RunRecord> find(long projectId, UUID id) {
        List<RunRecord> runs = load(jdbc.query("select " + COLUMNS + " from runs r where r.id = ? and r.project_id = ?",
                this::row, id, projectId));
        return runs.stream().findFirst();
    }

    /** Loads runs by id, keeping the given order. */
    List<RunRecord> findAll(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, RunRecord> byId = new HashMap<>();
        load(jdbc.query("select " + COLUMNS + " from runs r where r.id = any(?)",
                this::row, (Object) ids.toArray(UUID[]::new))).forEach(r -> byId.put(r.id(), r));
        return ids.stream().map(byId::get).filter(r -> r != null).toList();
    }

    private List<RunRecord> load(List<RunRecord> bare) {
        if (bare.isEmpty()) {
            return bare;
        }
        UUID[] ids = bare.stream().map(RunRecord::id).toArray(UUID[]::new);
        Map<UUID, TreeSet<String>> tags = new HashMap<>();
        jdbc.query("select run_id, tag from run_tags where run_id = any(?)", rs -> {
            tags.computeIfAbsent(rs.getObject(1, UUID.class), k -> new TreeSet<>()).add(rs.getString(2));
        }, (Object) ids);
        Map<UUID, Map<String, JsonNode>> config = new HashMap<>();
        jdbc.query("select run_id, key, value::text from run_config where run_id = any(?) order by key", rs -> {
            config.computeIfAbsent(rs.getObject(1, UUID.class), k -> new LinkedHashMap<>())
                    .put(rs.getString(2), json.readTree(rs.getString(3)));
        }, (Object) ids);
        List<RunRecord> result = new ArrayList<>(bare.size());
        for (RunRecord r : bare) {
            result.add(new RunRecord(r.id(), r.projectId(), r.project(), r.name(), r.group(),
                    List.copyOf(tags.getOrDefault(r.id(), new TreeSet<>())),
                    config.getOrDefault(r.id(), Map.of()), r.notes(), r.status(), r.createdAt(), r.startedAt(),
                    r.endedAt(), r.heartbeatAt(), r.createdBy()));
        }
        return result;
    }

    private RunRecord row(ResultSet rs, int i) throws SQLException {
        long projectId = rs.getLong(2);
        String slug = projects.findById(projectId).map(ProjectInfo::slug).orElse(null);
        return new RunRecord(rs.getObject(1, UUID.class), projectId, slug, rs.getString(3), rs.getString(4),
                List.of(), Map.of(), rs.getString(5), RunStatus.valueOf(rs.getString(6)),
                instant(rs.getTimestamp(7)), instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)),
                instant(rs.getTimestamp(10)), rs.getString(11));
    }

    /** The run's status, its row locked until the transaction ends; empty when the project has no such run. */
    Optional<RunStatus> lockStatus(long projectId, UUID id) {
        return jdbc.query("select status from runs where id = ? and project_id = ? for update",
                rs -> rs.next() ? Optional.of(RunStatus.valueOf(rs.getString(1))) : Optional.<RunStatus>empty(),
                id, projectId);
    }

    /** Sets name, group and notes; a null argument keeps the stored value, an empty group clears it. */
    void updateFields(UUID id, String name, String group, String notes) {
        jdbc.update("update runs set name = coalesce(?, name), "
                        + "run_group = case when ? then nullif(?, '') else run_group end, "
                        + "notes = coalesce(?, notes) where id = ?",
                name, group != null, group, notes, id);
    }

    /** Moves the run to {@code next}: RUNNING clears the end and counts as a heartbeat, others record the end. */
    void transition(UUID id, RunStatus next, Instant now) {
        boolean running = next == RunStatus.RUNNING;
        jdbc.update("update runs set status = ?, active_at = ?, "
                        + "ended_at = case when ? then null else coalesce(ended_at, ?) end, "
                        + "heartbeat_at = case when ? then ? else heartbeat_at end where id = ?",
                next.name(), ts(now), running, ts(now), running, ts(now), id);
    }

    void replaceTags(UUID id, Collection<String> tags) {
        jdbc.update("delete from run_tags where run_id = ?", id);
        addTags(id, tags);
    }

    /** Deletes the run; its tags, config, series and artifacts go with it (foreign keys cascade). */
    void delete(UUID id) {
        jdbc.update("delete from runs where id = ?", id);
    }

    /** Number of runs per project id. */
    Map<Long, Long> countByProject(Collection<Long> projectIds) {
        Map<Long, Long> counts = new HashMap<>();
        if (!projectIds.isEmpty()) {
            jdbc.query("select project_id, count(*) from runs where project_id = any(?) group by project_id",
                    rs -> {
                        counts.put(rs.getLong(1), rs.getLong(2));
                    },
                    (Object) projectIds.toArray(Long[]::new));
        }
        return counts;
    }

    /** Records activity of a run of the project (0 when there is none); a CRASHED run comes back to RUNNING. */
    int touch(long projectId, UUID id, Instant now, boolean heartbeat) {
        return jdbc.update("update runs set active_at = ?, heartbeat_at = case when ? then ? else heartbeat_at end, "
                + "status = case when status = 'CRASHED' then 'RUNNING' else status end, "
                + "ended_at = case when status = 'CRASHED' then null else ended_at end where id = ? and project_id = ?",
                ts(now), heartbeat, ts(now), id, projectId);
    }

    /** Marks RUNNING runs without activity since {@code before} as CRASHED; safe to run on several replicas. */
    int markCrashed(Instant before, Instant now) {
        return jdbc.update("update runs set status = 'CRASHED', ended_at = ? where status = 'RUNNING' and active_at < ?",
                ts(now), ts(before));
    }

    void addTags(UUID id, Collection<String> tags) {
        if (!tags.isEmpty()) {
            jdbc.update("insert into run_tags (run_id, tag) select ?, unnest(?) on conflict do nothing", id,
                    tags.toArray(String[]::new));
        }
    }

    /** Merges config entries: each key is inserted or replaced; a JSON null removes the key. */
    void mergeConfig(UUID id, Map<String, JsonNode> entries) {
        List<Object[]> upserts = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        entries.forEach((key, value) -> {
            if (value == null || value.isNull()) {
                removals.add(key);
            } else {
                upserts.add(new Object[] {id, key, json.writeValueAsString(value)});
            }
        });
        if (!upserts.isEmpty()) {
            jdbc.batchUpdate("insert into run_config (run_id, key, value) values (?, ?, cast(? as jsonb)) "
                    + "on conflict (run_id, key) do update set value = excluded.value", upserts);
        }
        if (!removals.isEmpty()) {
            jdbc.update("delete from run_config where run_id = ? and key = any(?)", id, removals.toArray(String[]::new));
        }
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
