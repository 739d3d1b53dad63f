package dev.stepwise.server.media;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.stepwise.server.media.MediaItemParser.Batch;
import dev.stepwise.server.media.MediaItemParser.Item;
import dev.stepwise.server.run.RunService;
import dev.stepwise.server.web.ProblemException;
import dev.stepwise.server.web.ProblemException.FieldProblem;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Media items of runs: exactly-once, all-or-nothing batches (the batch id, the items and the key
 * counts commit in one transaction) and paged reads. The caller has checked project access.
 */
@Service
public class MediaService {

    /** Outcome of an upload, as for metric points. */
    public record IngestResult(int accepted, boolean duplicate) {}

    /** A blob as an item names it. */
    public record BlobRef(String sha256, String contentType, long sizeBytes, String url) {}

    /** A stored item as the API returns it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record MediaItem(long id, String key, long step, Integer epoch, Instant time, String type, String caption,
            BlobRef blob, @JsonRawValue String data) {}

    /** One page of items. */
    public record MediaPage(List<MediaItem> items, String nextCursor) {}

    /** A key of the run with its type, item count and step range. */
    public record MediaKey(String key, String type, long n, long firstStep, long lastStep) {}

    /** The list query; every field but {@code limit} may be null. */
    public record MediaQuery(String key, String type, Long fromStep, Long toStep, int limit, String cursor) {}

    private final JdbcTemplate jdbc;
    private final RunService runs;
    private final Clock clock;
    private final JsonMapper json;

    MediaService(JdbcTemplate jdbc, RunService runs, Clock clock, JsonMapper json) {
        this.jdbc = jdbc;
        this.runs = runs;
        this.clock = clock;
        this.json = json;
    }

    /** The API path of a blob of project {@code slug}. */
    public static String blobUrl(String slug, String sha256) {
        return "/api/v1/projects/" + slug + "/blobs/" + sha256;
    }

    /**
     * Reads and stores an upload {@code {batchId?, items: [...]}}: 400 with field-level problems for
     * any invalid item, for a blob the project does not hold, or for a blob whose type does not fit its
     * item; a batch id seen before for the run stores nothing and answers {@code duplicate}.
     */
    @Transactional
    public IngestResult ingest(long projectId, UUID runId, InputStream body) {
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (JacksonException e) {
            throw ProblemException.badRequest("Malformed JSON request body");
        }
        Batch batch = MediaItemParser.parse(tree, clock.millis());
        // Locks the run row (and answers 404 for a run of another project): uploads to one run are serialized.
        runs.recordActivity(projectId, runId);
        checkBlobs(projectId, batch.items());
        if (batch.batchId() != null && jdbc.update("insert into media_batches (run_id, batch_id, accepted) values "
                + "(?, ?, ?) on conflict do nothing", runId, batch.batchId(), batch.items().size()) == 0) {
            return new IngestResult(0, true);
        }
        insert(projectId, runId, batch.items());
        return new IngestResult(batch.items().size(), false);
    }

    private void checkBlobs(long projectId, List<Item> items) {
        String[] shas = items.stream().map(Item::blob).filter(b -> b != null).distinct().toArray(String[]::new);
        if (shas.length == 0) {
            return;
        }
        Map<String, String> types = new HashMap<>();
        // KEY SHARE: the collector cannot remove these blobs before the items naming them commit.
        jdbc.query("select sha256, content_type from blobs where project_id = ? and sha256 = any(?) for key share",
                rs -> {
                    types.put(rs.getString(1), rs.getString(2));
                }, projectId, shas);
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            if (item.blob() == null) {
                continue;
            }
            String type = types.get(item.blob());
            if (type == null) {
                problems.add(new FieldProblem("items[" + i + "].blob", "no blob " + item.blob()
                        + " in this project; upload it first with PUT /blobs/{sha256}"));
            } else if (!item.type().accepts(type)) {
                problems.add(new FieldProblem("items[" + i + "].blob", "is " + type + ", which " + item.type().wire()
                        + " items do not accept"));
            }
        }
        if (!problems.isEmpty()) {
            FieldProblem first = problems.get(0);
            throw ProblemException.badRequest("Invalid media upload: " + first.field() + " " + first.message()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "") + "; nothing was stored")
                    .withErrors(problems.subList(0, Math.min(20, problems.size())));
        }
    }

    private void insert(long projectId, UUID runId, List<Item> items) {
        if (items.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("insert into media_items (run_id, key, step, epoch, time_ms, type, caption, project_id, "
                + "blob_sha256, data) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)", items, 500, (ps, item) -> {
                    ps.setObject(1, runId);
                    ps.setString(2, item.key());
                    ps.setLong(3, item.step());
                    if (item.epoch() == null) {
                        ps.setNull(4, Types.INTEGER);
                    } else {
                        ps.setInt(4, item.epoch());
                    }
                    ps.setLong(5, item.timeMillis());
                    ps.setString(6, item.type().wire());
                    ps.setString(7, item.caption());
                    ps.setLong(8, projectId);
                    ps.setString(9, item.blob());
                    ps.setString(10, item.data());
                });
        Map<List<String>, long[]> keys = new LinkedHashMap<>();
        for (Item item : items) {
            long[] k = keys.computeIfAbsent(List.of(item.key(), item.type().wire()),
                    x -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
            k[0]++;
            k[1] = Math.min(k[1], item.step());
            k[2] = Math.max(k[2], item.step());
        }
        List<Object[]> rows = new ArrayList<>();
        keys.forEach((k, v) -> rows.add(new Object[] {runId, k.get(0), k.get(1), v[0], v[1], v[2]}));
        jdbc.batchUpdate("insert into media_keys (run_id, key, type, n, first_step, last_step) values (?, ?, ?, ?, ?, ?) "
                + "on conflict (run_id, key, type) do update set n = media_keys.n + excluded.n, "
                + "first_step = least(media_keys.first_step, excluded.first_step), "
                + "last_step = greatest(media_keys.last_step, excluded.last_step)", rows);
    }

    /** Items of a run ordered by key, step and upload order, one page at a time. */
    @Transactional(readOnly = true)
    public MediaPage list(long projectId, String slug, UUID runId, MediaQuery q) {
        runs.requireExists(projectId, runId);
        StringBuilder sql = new StringBuilder("select i.id, i.key, i.step, i.epoch, i.time_ms, i.type, i.caption, "
                + "i.blob_sha256, b.content_type, b.size_bytes, i.data::text from media_items i left join blobs b "
                + "on b.project_id = i.project_id and b.sha256 = i.blob_sha256 where i.run_id = ?");
        List<Object> args = new ArrayList<>(List.of(runId));
        if (q.key() != null) {
            sql.append(" and i.key = ?");
            args.add(q.key());
        }
        if (q.type() != null) {
            sql.append(" and i.type = ?");
            args.add(q.type());
        }
        if (q.fromStep() != null) {
            sql.append(" and i.step >= ?");
            args.add(q.fromStep());
        }
        if (q.toStep() != null) {
            sql.append(" and i.step <= ?");
            args.add(q.toStep());
        }
        if (q.cursor() != null) {
            Cursor c = Cursor.decode(q.cursor());
            sql.append(" and (i.key, i.step, i.id) > (?, ?, ?)");
            args.add(c.key());
            args.add(c.step());
            args.add(c.id());
        }
        sql.append(" order by i.key, i.step, i.id limit ?");
        args.add(q.limit() + 1);
        List<MediaItem> items = jdbc.query(sql.toString(), (rs, i) -> {
            String sha = rs.getString(8);
            Object epoch = rs.getObject(4);
            return new MediaItem(rs.getLong(1), rs.getString(2), rs.getLong(3),
                    epoch == null ? null : ((Number) epoch).intValue(), Instant.ofEpochMilli(rs.getLong(5)),
                    rs.getString(6), rs.getString(7),
                    sha == null ? null : new BlobRef(sha, rs.getString(9), rs.getLong(10), blobUrl(slug, sha)),
                    rs.getString(11));
        }, args.toArray());
        String next = null;
        if (items.size() > q.limit()) {
            items = items.subList(0, q.limit());
            MediaItem last = items.get(items.size() - 1);
            next = new Cursor(last.key(), last.step(), last.id()).encode();
        }
        return new MediaPage(items, next);
    }

    /** Every key of the run with its type, count and step range. */
    @Transactional(readOnly = true)
    public List<MediaKey> keys(long projectId, UUID runId) {
        runs.requireExists(projectId, runId);
        return jdbc.query("select key, type, n, first_step, last_step from media_keys where run_id = ? order by key, type",
                (rs, i) -> new MediaKey(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
                runId);
    }

    /** The opaque list cursor: the last item's (key, step, id). */
    record Cursor(String key, long step, long id) {
        String encode() {
            String raw = step + ":" + id + ":" + key;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int a = raw.indexOf(':');
                int b = raw.indexOf(':', a + 1);
                return new Cursor(raw.substring(b + 1), Long.parseLong(raw.substring(0, a)),
                        Long.parseLong(raw.substring(a + 1, b)));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw ProblemException.invalid("cursor", "is not a cursor this list returned");
            }
        }
    }
}
