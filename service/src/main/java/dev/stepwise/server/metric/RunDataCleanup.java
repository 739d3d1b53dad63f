package dev.stepwise.server.metric;

import dev.stepwise.server.run.RunDeleted;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Removes a deleted run's points and aggregates in the deleting transaction. */
@Component
class RunDataCleanup {

    private final JdbcTemplate jdbc;

    RunDataCleanup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(RunDeleted event) {
        for (String table : new String[] {"metric_points", "metric_rollups", "metric_epochs"}) {
            jdbc.update("delete from " + table + " where series_id in (select id from metric_series where run_id = ?)",
                    event.runId());
        }
    }
}
