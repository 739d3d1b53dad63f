package dev.stepwise.server.run;

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
 * SQL side of runs: idempotent creation, activity and crash marking as single statements (so
 * concurrent creates, heartbeats, uploads and sweeps on several replicas cannot lose each other's
 * updates), config entries as JSON values, and loading runs with tags and config for reads.
 */
@Repository
class RunStore {

    private static final String COLUMNS = "r.id, r.project_id, p.slug, r.name, r.run_group, r.notes, r.status, "
            + "r.created_at, r.started_at, r.ended_at, r.heartbeat_at, r.created_by";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;

    RunStore(JdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
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
        List<RunRecord> runs = load(jdbc.query("select " + COLUMNS + " from runs r join projects p on p.id = r.project_id "
                + "where r.id = ? and r.project_id = ?", this::row, id, projectId));
        return runs.stream().findFirst();
    }

    /** Loads runs by id, keeping the given order. */
    List<RunRecord> findAll(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, RunRecord> byId = new HashMap<>();
        load(jdbc.query("select " + COLUMNS + " from runs r join projects p on p.id = r.project_id where r.id = any(?)",
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
        return new RunRecord(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getString(4),
                rs.getString(5), List.of(), Map.of(), rs.getString(6), RunStatus.valueOf(rs.getString(7)),
                instant(rs.getTimestamp(8)), instant(rs.getTimestamp(9)), instant(rs.getTimestamp(10)),
                instant(rs.getTimestamp(11)), rs.getString(12));
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
