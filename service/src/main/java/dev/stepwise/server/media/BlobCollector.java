package dev.stepwise.server.media;

import dev.stepwise.server.config.StepwiseProperties;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes blobs that no media item and no artifact of their project names any more, except those
 * uploaded within the grace period (a trainer uploads blobs before the items naming them). Each
 * removal locks the blob row first and checks references afterwards, in its own transaction, so a
 * concurrent upload or an item being written keeps its blob.
 */
@Component
class BlobCollector {

    private static final Logger log = LoggerFactory.getLogger(BlobCollector.class);
    private static final String UNREFERENCED = "not exists (select 1 from media_items i where i.project_id = "
            + "b.project_id and i.blob_sha256 = b.sha256) and not exists (select 1 from artifacts a where "
            + "a.blob_project_id = b.project_id and a.blob_sha256 = b.sha256)";

    private final JdbcTemplate jdbc;
    private final BlobService blobs;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration grace;

    BlobCollector(JdbcTemplate jdbc, BlobService blobs, TransactionTemplate tx, Clock clock,
            StepwiseProperties properties) {
        this.jdbc = jdbc;
        this.blobs = blobs;
        this.tx = tx;
        this.clock = clock;
        this.grace = properties.media().blobGracePeriod();
    }

    @Scheduled(fixedDelayString = "${stepwise.media.collect-interval:15m}",
            initialDelayString = "${stepwise.media.collect-interval:15m}")
    void scheduled() {
        int removed = collect();
        if (removed > 0) {
            log.info("Removed {} unreferenced blobs", removed);
        }
    }

    /** Removes every unreferenced blob last uploaded before now minus the grace period; returns how many. */
    int collect() {
        return collect(clock.instant().minus(grace));
    }

    int collect(Instant uploadedBefore) {
        Timestamp cutoff = Timestamp.from(uploadedBefore);
        int removed = 0;
        while (true) {
            List<Object[]> candidates = jdbc.query("select b.project_id, b.sha256 from blobs b where "
                    + "b.last_uploaded_at < ? and " + UNREFERENCED + " limit 500",
                    (rs, i) -> new Object[] {rs.getLong(1), rs.getString(2)}, cutoff);
            int before = removed;
            for (Object[] c : candidates) {
                long projectId = (Long) c[0];
                String sha = (String) c[1];
                Boolean gone = tx.execute(status -> {
                    // The lock waits for writers naming the blob; the check that follows sees what they committed.
                    List<Long> locked = jdbc.queryForList("select project_id from blobs where project_id = ? and "
                            + "sha256 = ? and last_uploaded_at < ? for update", Long.class, projectId, sha, cutoff);
                    if (locked.isEmpty()) {
                        return false;
                    }
                    Boolean unreferenced = jdbc.queryForObject("select " + UNREFERENCED.replace("b.project_id", "?")
                            .replace("b.sha256", "?"), Boolean.class, projectId, sha, projectId, sha);
                    if (!Boolean.TRUE.equals(unreferenced)) {
                        return false;
                    }
                    blobs.deleteBytes(projectId, sha);
                    jdbc.update("delete from blobs where project_id = ? and sha256 = ?", projectId, sha);
                    return true;
                });
                if (Boolean.TRUE.equals(gone)) {
                    removed++;
                }
            }
            if (candidates.size() < 500 || removed == before) {
                return removed;
            }
        }
    }
}
