package dev.stepwise.client.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import dev.stepwise.client.internal.HttpApi;
import dev.stepwise.client.internal.Json;
import dev.stepwise.client.internal.Retrier;
import dev.stepwise.client.sweep.EpochSummarizer;
import dev.stepwise.client.sweep.SweepExpander;
import dev.stepwise.client.sweep.Trial;
import dev.stepwise.client.sweep.internal.ConfigFiles;

/**
 * Imports one trial folder holding {@code batch_log.csv} (and {@code cfg.yaml}) as one run.
 *
 * <p>The run id is {@link Trial#runId(String, String)} of the folder's trial path
 * ({@code <mode>/<dataset>/<model>/<trainer>/trial_###} when the folder sits in such a tree, else
 * {@code <parent name>/<folder name>}), so {@code sweep run} and every import agree on it. Row
 * {@code i} (0-based, header excluded) becomes points at step {@code i}: one per numeric column
 * other than {@code epoch} and {@code mode}, keyed {@code <mode>/<column>} (just {@code <column>}
 * without a mode column), with the row's epoch; a {@code time} column that holds Unix seconds also
 * sets the points' time. Rows the server already holds (steps up to the greatest stored step of
 * these keys) are not sent again, and every upload carries a batch id naming its row range, so a
 * re-import stores nothing twice and appended rows add only themselves.
 */
final class BatchLogImport {

    private static final Pattern TRIAL_DIR = Pattern.compile("trial_\\d+");
    /** Points per request, well under the server's 50,000. */
    private static final int POINTS_PER_REQUEST = 20_000;

    /** What one folder import did. */
    record Result(UUID runId, int rows, int newRows, long points) {}

    private final HttpApi api;
    private final Retrier retrier;
    private final String project;

    BatchLogImport(HttpApi api, Retrier retrier, String project) {
        this.api = api;
        this.retrier = retrier;
        this.project = project;
    }

    /** The trial path of a folder: the last five names when they look like a sweep tree. */
    static String trialPath(Path folder) {
        Path abs = folder.toAbsolutePath().normalize();
        int n = abs.getNameCount();
        if (n >= 5 && TRIAL_DIR.matcher(abs.getFileName().toString()).matches()
                && SweepExpander.MODES.contains(abs.getName(n - 5).toString())) {
            return abs.subpath(n - 5, n).toString().replace('\\', '/');
        }
        return Objects.toString(abs.getParent() == null ? "" : abs.getParent().getFileName(), "") + "/"
                + abs.getFileName();
    }

    Result importFolder(Path folder) throws IOException, InterruptedException {
        String path = trialPath(folder);
        int slash = path.lastIndexOf('/');
        String name = path.substring(slash + 1);
        String group = path.substring(0, slash);
        UUID id = Trial.runId(project, path);
        Map<String, Object> config = Files.isRegularFile(folder.resolve(Trial.CFG_FILE))
                ? ConfigFiles.readMap(folder.resolve(Trial.CFG_FILE)) : Map.of();

        Map<String, Object> create = new LinkedHashMap<>();
        create.put("id", id.toString());
        create.put("name", name);
        create.put("group", group);
        create.put("config", config);
        HttpApi.Response created = ok(retrier.execute(t -> api.createRun(project, create), Long.MAX_VALUE / 4), "create run");
        if (created.status() == 200) {
            // resumed: the folder's cfg.yaml may have changed since the last import
            ok(retrier.execute(t -> api.patchRun(project, id, Map.of("name", name, "group", group, "config", config)),
                    Long.MAX_VALUE / 4), "update run");
        }

        List<CSVRecord> rows;
        List<String> header;
        try (Reader r = Files.newBufferedReader(folder.resolve(Trial.BATCH_LOG), StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            header = p.getHeaderNames();
            rows = p.getRecords();
        }
        boolean hasMode = header.contains(EpochSummarizer.MODE);
        List<String> columns = header.stream()
                .filter(c -> !c.equals(EpochSummarizer.EPOCH) && !c.equals(EpochSummarizer.MODE)).toList();
        Set<String> keys = new LinkedHashSet<>();
        for (CSVRecord rec : rows) {
            for (String c : columns) {
                keys.add(key(hasMode ? rec.get(EpochSummarizer.MODE) : null, c));
            }
        }
        long stored = storedRows(id, keys);
        long points = 0;
        List<Map<String, Object>> batch = new ArrayList<>();
        long from = stored;
        for (int i = (int) Math.min(stored, rows.size()); i < rows.size(); i++) {
            CSVRecord rec = rows.get(i);
            Long epoch = epoch(rec);
            Long time = time(rec);
            for (String c : columns) {
                String cell = rec.isSet(c) ? rec.get(c).trim() : "";
                if (cell.isEmpty()) {
                    continue;
                }
                double v = EpochSummarizer.parse(cell);
                if (Double.isNaN(v) && !cell.toLowerCase(java.util.Locale.ROOT).contains("nan")) {
                    continue; // text, not a metric
                }
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("key", key(hasMode ? rec.get(EpochSummarizer.MODE) : null, c));
                point.put("step", (long) i);
                point.put("value", v);
                if (epoch != null) {
                    point.put("epoch", epoch);
                }
                if (time != null) {
                    point.put("time", time);
                }
                batch.add(point);
            }
            if (batch.size() >= POINTS_PER_REQUEST || i == rows.size() - 1) {
                points += send(id, from, i + 1L, batch);
                batch = new ArrayList<>();
                from = i + 1L;
            }
        }
        ok(retrier.execute(t -> api.patchRun(project, id, Map.of("status", "FINISHED")), Long.MAX_VALUE / 4),
                "finish run");
        return new Result(id, rows.size(), (int) Math.max(0, rows.size() - stored), points);
    }

    private long send(UUID id, long from, long to, List<Map<String, Object>> points) throws IOException, InterruptedException {
        if (points.isEmpty()) {
            return 0;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("batchId", "batch_log:" + from + "-" + to);
        body.put("points", points);
        byte[] gz = HttpApi.gzip(Json.toBytes(body));
        ok(retrier.execute(t -> api.postMetrics(project, id, gz, t), Long.MAX_VALUE / 4), "upload rows " + from + "-" + to);
        return points.size();
    }

    /** Rows already on the server: one past the greatest stored step of the folder's keys. */
    @SuppressWarnings("unchecked")
    private long storedRows(UUID id, Set<String> keys) throws IOException, InterruptedException {
        HttpApi.Response r = ok(retrier.execute(t -> api.getMetrics(project, id), Long.MAX_VALUE / 4), "read metrics");
        long rows = 0;
        Object metrics = Json.readObject(r.body()).get("metrics");
        if (metrics instanceof List<?> list) {
            for (Object o : list) {
                Map<String, Object> m = (Map<String, Object>) o;
                if (keys.contains(String.valueOf(m.get("key"))) && m.get("lastStep") instanceof Number last) {
                    rows = Math.max(rows, last.longValue() + 1);
                }
            }
        }
        return rows;
    }

    private static String key(String mode, String column) {
        return mode == null || mode.isBlank() ? column : mode.trim() + "/" + column;
    }

    private static Long epoch(CSVRecord rec) {
        if (!rec.isMapped(EpochSummarizer.EPOCH) || !rec.isSet(EpochSummarizer.EPOCH)) {
            return null;
        }
        double e = EpochSummarizer.parse(rec.get(EpochSummarizer.EPOCH).trim());
        return e >= 0 && e == Math.rint(e) ? (long) e : null;
    }

    /** Epoch milliseconds of a {@code time} cell holding Unix seconds (2001..2286); null otherwise. */
    private static Long time(CSVRecord rec) {
        if (!rec.isMapped("time") || !rec.isSet("time")) {
            return null;
        }
        double t = EpochSummarizer.parse(rec.get("time").trim());
        return t > 1e9 && t < 1e10 ? (long) (t * 1000) : null;
    }

    private static HttpApi.Response ok(Retrier.Outcome o, String what) throws IOException {
        if (o.kind() != Retrier.Kind.OK) {
            throw new IOException(what + ": " + o.reason());
        }
        return o.response();
    }
}
