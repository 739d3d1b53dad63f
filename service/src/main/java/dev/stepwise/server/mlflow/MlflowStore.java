package dev.stepwise.server.mlflow;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The MLflow module's own tables: experiment tags and soft deletion of experiments and runs. */
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
}
