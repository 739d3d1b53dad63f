package dev.stepwise.server.media;

import dev.stepwise.server.run.RunDeleted;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Removes a deleted run's items in the deleting transaction; the blobs they named are left to
 * {@link BlobCollector}, which removes those nothing refers to any more.
 */
@Component
class MediaCleanup {

    private final JdbcTemplate jdbc;

    MediaCleanup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(RunDeleted event) {
        jdbc.update("delete from media_items where run_id = ?", event.runId());
    }
}
