package dev.stepwise.server.metric;

import dev.stepwise.server.run.RunService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts metric uploads exactly once: the batch id, the points and every derived aggregate are
 * committed in one transaction, so a retried or replayed batch is either fully stored once or not
 * at all.
 */
@Service
public class MetricIngestService {

    /** Outcome of an upload. */
    public record IngestResult(int accepted, boolean duplicate) {}

    /** A point given in-process (e.g. by an importer); {@code epoch} and {@code timeMillis} may be null. */
    public record NewPoint(String key, long step, double value, Integer epoch, Long timeMillis) {}

    private final RunService runs;
    private final MetricWriter writer;
    private final Clock clock;
    private final JsonMapper json;

    MetricIngestService(RunService runs, MetricWriter writer, Clock clock, JsonMapper json) {
        this.runs = runs;
        this.writer = writer;
        this.clock = clock;
        this.json = json;
    }

    /**
     * Reads an upload ({@code {batchId?, points: [...]}} as JSON) from {@code body}, validates it
     * all-or-nothing (400 naming the first bad points) and stores it for a run of the project.
     */
    @Transactional
    public IngestResult ingest(long projectId, UUID runId, InputStream body) {
        PointBatch batch = PointBatchParser.parse(json.createParser(body), clock.millis());
        return ingest(projectId, runId, batch);
    }

    /**
     * Stores in-process points, in chunks of at most 50,000 with batch ids {@code batchId:0},
     * {@code batchId:1}, …, all in the caller's transaction; a repeated call stores nothing again.
     */
    @Transactional
    public int ingest(long projectId, UUID runId, String batchId, List<NewPoint> points) {
        int accepted = 0;
        for (int from = 0; from < Math.max(points.size(), 1); from += PointBatchParser.MAX_POINTS) {
            List<NewPoint> chunk = points.subList(from, Math.min(points.size(), from + PointBatchParser.MAX_POINTS));
            accepted += ingest(projectId, runId, toBatch(batchId + ":" + (from / PointBatchParser.MAX_POINTS), chunk))
                    .accepted();
        }
        return accepted;
    }

    private PointBatch toBatch(String batchId, List<NewPoint> points) {
        int n = points.size();
        List<String> keys = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        int[] keyIndex = new int[n];
        long[] steps = new long[n];
        int[] epochs = new int[n];
        long[] times = new long[n];
        double[] values = new double[n];
        long now = clock.millis();
        for (int i = 0; i < n; i++) {
            NewPoint p = points.get(i);
            keyIndex[i] = ids.computeIfAbsent(p.key(), k -> {
                keys.add(k);
                return keys.size() - 1;
            });
            steps[i] = p.step();
            epochs[i] = p.epoch() == null ? PointBatch.NO_EPOCH : p.epoch();
            times[i] = p.timeMillis() == null ? now : p.timeMillis();
            values[i] = p.value();
        }
        return new PointBatch(batchId, keys, keyIndex, steps, epochs, times, values);
    }

    @Transactional
    IngestResult ingest(long projectId, UUID runId, PointBatch batch) {
        // Locks the run row: uploads to one run are serialized, which orders their sequence numbers.
        runs.recordActivity(projectId, runId);
        try {
            if (batch.batchId() != null && !writer.claimBatch(runId, batch.batchId(), batch.size())) {
                return new IngestResult(0, true);
            }
            if (batch.size() > 0) {
                writer.write(runId, batch);
            }
        } catch (SQLException e) {
            throw new UncategorizedSQLException("metric ingest", null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new IngestResult(batch.size(), false);
    }
}
