package dev.stepwise.server.mlflow;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The MLflow module's own tables: experiment tags, run tags too long for a Stepwise run tag, and
 * soft deletion of experiments and runs.
 */
@Repository
class MlflowStore {

    private final JdbcTemplate jdbc;

    MlflowStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Map<String, String> experimentTags(long projectId) {
        Map<String, String> tags = new LinkedHashMap<>();
        jdbc.query("select key, value from mlflow_experiment_tags where project_id = ? order by key",
                rs -> {
                    tags.put(rs.getString(1), rs.getString(2));
                }, projectId);
        return tags;
    }

    void setExperimentTag(long projectId, String key, String value) {
        jdbc.update("insert into mlflow_experiment_tags (project_id, key, value) values (?, ?, ?) "
                + "on conflict (project_id, key) do update set value = excluded.value", projectId, key, value);
    }

    boolean experimentDeleted(long projectId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from mlflow_deleted_experiments where project_id = ?)", Boolean.class,
                projectId));
    }

    void markExperimentDeleted(long projectId, boolean deleted) {
        if (deleted) {
            jdbc.update("insert into mlflow_deleted_experiments (project_id) values (?) on conflict do nothing",
                    projectId);
        } else {
            jdbc.update("delete from mlflow_deleted_experiments where project_id = ?", projectId);
        }
    }

    void markRunDeleted(UUID runId, boolean deleted) {
        if (deleted) {
            jdbc.update("insert into mlflow_deleted_runs (run_id) values (?) on conflict do nothing", runId);
        } else {
            jdbc.update("delete from mlflow_deleted_runs where run_id = ?", runId);
        }
    }

    /** Which of the given runs are deleted for the MLflow API. */
    Set<UUID> deletedRuns(Collection<UUID> runIds) {
        Set<UUID> deleted = new HashSet<>();
        if (!runIds.isEmpty()) {
            jdbc.query("select run_id from mlflow_deleted_runs where run_id = any(?)",
                    rs -> {
                        deleted.add(rs.getObject(1, UUID.class));
                    }, (Object) runIds.toArray(UUID[]::new));
        }
        return deleted;
    }

    /** Long tags of the given runs, by run and key. */
    Map<UUID, Map<String, String>> longTags(Collection<UUID> runIds) {
        Map<UUID, Map<String, String>> tags = new HashMap<>();
        if (!runIds.isEmpty()) {
            jdbc.query("select run_id, key, value from mlflow_run_tags where run_id = any(?) order by key", rs -> {
                tags.computeIfAbsent(rs.getObject(1, UUID.class), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), rs.getString(3));
            }, (Object) runIds.toArray(UUID[]::new));
        }
        return tags;
    }

    Map<String, String> longTags(UUID runId) {
        return longTags(List.of(runId)).getOrDefault(runId, Map.of());
    }

    void setLongTag(UUID runId, String key, String value) {
        jdbc.update("insert into mlflow_run_tags (run_id, key, value) values (?, ?, ?) "
                + "on conflict (run_id, key) do update set value = excluded.value", runId, key, value);
    }

    /** Removes long tags of a run; the number removed. */
    int deleteLongTags(UUID runId, Collection<String> keys) {
        return keys.isEmpty() ? 0 : jdbc.update("delete from mlflow_run_tags where run_id = ? and key = any(?)", runId,
                keys.toArray(String[]::new));
    }
}
