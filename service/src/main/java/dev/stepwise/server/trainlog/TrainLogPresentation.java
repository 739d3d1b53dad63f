package dev.stepwise.server.trainlog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The parts of an imported TrainLog that are not run metadata or points: the file's title, its
 * run id when that is not a UUID, and the order and colour of its series. Export reads them back.
 */
@Repository
class TrainLogPresentation {

    /** A file's title and original run id; either may be null. */
    record RunLook(String title, String sourceRunId) {}

    /** One series of a file: its position in the file and its colour. */
    record SeriesLook(int position, String color) {}

    private final JdbcTemplate jdbc;

    TrainLogPresentation(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the title and original run id of the file last imported into the run. */
    void saveRun(UUID runId, RunLook look) {
        jdbc.update("insert into trainlog_runs (run_id, title, source_run_id) values (?, ?, ?) "
                + "on conflict (run_id) do update set title = excluded.title, "
                + "source_run_id = coalesce(excluded.source_run_id, trainlog_runs.source_run_id)",
                runId, look.title(), look.sourceRunId());
    }

    /** Records series order and colours; the last imported file wins for the keys it names. */
    void saveSeries(UUID runId, Map<String, SeriesLook> series) {
        List<Object[]> rows = series.entrySet().stream()
                .map(e -> new Object[] {runId, e.getKey(), e.getValue().position(), e.getValue().color()}).toList();
        jdbc.batchUpdate("insert into trainlog_series (run_id, key, position, color) values (?, ?, ?, ?) "
                + "on conflict (run_id, key) do update set position = excluded.position, color = excluded.color", rows);
    }

    Optional<RunLook> run(UUID runId) {
        return jdbc.query("select title, source_run_id from trainlog_runs where run_id = ?",
                rs -> rs.next() ? Optional.of(new RunLook(rs.getString(1), rs.getString(2))) : Optional.empty(),
                runId);
    }

    /** Key to look, in file order. */
    Map<String, SeriesLook> series(UUID runId) {
        Map<String, SeriesLook> result = new LinkedHashMap<>();
        jdbc.query("select key, position, color from trainlog_series where run_id = ? order by position, key",
                rs -> {
                    result.put(rs.getString(1), new SeriesLook(rs.getInt(2), rs.getString(3)));
                }, runId);
        return result;
    }
}
