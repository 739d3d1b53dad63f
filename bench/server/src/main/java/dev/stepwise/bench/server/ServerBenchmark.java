package dev.stepwise.bench.server;

import dev.stepwise.bench.server.TrainingData.Batch;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import tools.jackson.databind.JsonNode;

/**
 * End-to-end server benchmark: the packaged server and a raw-{@code COPY} baseline against the
 * very same embedded PostgreSQL, in one run. Measures ingest over HTTP against raw {@code COPY}
 * of the same rows, a 1,000-bucket {@code /series} over a 1M-point series against a full ordered
 * read of it, and the first page of a run list sorted by a summary stat over 10,000 runs. See
 * {@code bench/README.md}.
 */
public final class ServerBenchmark {

    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final String INGEST_PROJECT = "bench-ingest";
    private static final String LIST_PROJECT = "bench-runs";
    private static final long SERIES_POINTS = 1_000_000;
    private static final String SERIES_KEY = "train/loss";
    private static final String LIST_SORT = "-summary.val/acc.max";

    private final Options options;
    private final long started = System.nanoTime();
    private final List<String[]> rows = new ArrayList<>();
    private String jdbcUrl;
    private String postgresVersion;
    private CpuMeter cpu;
    private double warmupRate;
    private int warmupRounds;
    private double warmupLastJit = Double.NaN;
    /** JIT compiler CPU per warm-up round below which the server JVM counts as warmed up. */
    private static final double JIT_QUIET_SECONDS = 0.3;
    /** Points per upload in the request-heavy part of a warm-up round. */
    private static final int SMALL_BATCH = 100;
    private String loadAtStart;

    private ServerBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options == null) {
            return;
        }
        new ServerBenchmark(options).run();
    }

    private void run() throws Exception {
        if (!Files.isRegularFile(options.jar)) {
            throw new IllegalStateException(options.jar.toAbsolutePath() + " not found; build it first: "
                    + "mvn -B -q -DskipTests install (from the repository root)");
        }
        Path dir = Files.createTempDirectory("swbench-");
        log("data in " + dir);
        try (EmbeddedPostgres postgres = startPostgres(dir.resolve("postgres"), !options.keepData,
                options.postgresSettings)) {
            jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            try (Connection c = connect(); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("show server_version")) {
                rs.next();
                postgresVersion = rs.getString(1);
            }
            log("PostgreSQL on port " + postgres.getPort() + "; starting " + options.jar);
            Path serverDir = Files.createDirectories(dir.resolve("server"));
            try (StepwiseServer server = StepwiseServer.start(options.jar, serverDir, jdbcUrl, ADMIN_PASSWORD,
                    options.serverJavaOptions, Duration.ofMinutes(2))) {
                log("server ready (pid " + server.pid() + ") at " + server.baseUri());
                cpu = CpuMeter.available() ? new CpuMeter(server.pid(), dir.resolve("postgres")) : null;
                loadAtStart = CpuMeter.loadAverage().orElse("n/a");
                StepwiseApi admin = StepwiseApi.admin(server.baseUri(), "admin", ADMIN_PASSWORD);
                UUID[] runs = ingest(admin);
                series(admin, runs);
                runList(admin);
            }
        } finally {
            if (options.keepData) {
                log("kept " + dir);
            } else {
                deleteTree(dir);
            }
        }
        printReport();
    }

    // ---- 1-3: ingest over HTTP against raw COPY ------------------------------------------------

    private UUID[] ingest(StepwiseApi admin) throws Exception {
        admin.createProject(INGEST_PROJECT);
        StepwiseApi api = admin.withKey(admin.createKey(INGEST_PROJECT, "write"));
        int uploaders = options.uploaders;
        long stepsPerRun = stepsPerRun();
        UUID[] runs = new UUID[uploaders];
        for (int u = 0; u < uploaders; u++) {
            runs[u] = UUID.randomUUID();
            api.createRun(INGEST_PROJECT, runs[u], "ingest-" + u, "");
        }

        warmUp(api);

        log("encoding upload bodies (" + uploaders + " runs x " + stepsPerRun + " steps, gzip JSON)");
        List<List<byte[]>> bodies = parallel(uploaders, u -> {
            List<byte[]> out = new ArrayList<>();
            TrainingData data = new TrainingData(stepsPerRun, false, u);
            for (Batch b; (b = data.next(options.batchSize)) != null; ) {
                out.add(TrainingData.gzippedJson("run" + u + "-batch" + out.size(), b));
            }
            return out;
        });
        long totalPoints = uploaders * TrainingData.pointsFor(stepsPerRun);
        long gzBytes = bodies.stream().flatMap(List::stream).mapToLong(b -> b.length).sum();
        int batches = bodies.stream().mapToInt(List::size).sum();

        log("ingest over HTTP: " + fmt(totalPoints) + " points in " + batches + " batches, " + uploaders
                + " uploaders (one run each)");
        CpuMeter.Sample cpu0 = cpuSample();
        long t0 = System.nanoTime();
        parallel(uploaders, u -> {
            List<byte[]> mine = bodies.get(u);
            long left = TrainingData.pointsFor(stepsPerRun);
            for (byte[] body : mine) {
                int n = (int) Math.min(options.batchSize, left);
                api.uploadGzipped(INGEST_PROJECT, runs[u], body, n);
                left -= n;
            }
            return null;
        });
        double httpSeconds = seconds(t0);
        CpuMeter.Sample httpCpu = cpuUsedSince(cpu0);
        bodies.clear();
        double httpRate = totalPoints / httpSeconds;
        log(String.format(Locale.ROOT, "  %.1f s, %s points/s", httpSeconds, fmt(httpRate)));

        long[][] seriesIds = new long[uploaders][TrainingData.KEYS.length];
        try (Connection c = connect()) {
            long stored = queryLong(c, "select count(*) from metric_points");
            if (stored != totalPoints) {
                throw new IllegalStateException("metric_points holds " + stored + " rows, expected " + totalPoints);
            }
            for (int u = 0; u < uploaders; u++) {
                try (PreparedStatement ps = c.prepareStatement("select key, id from metric_series where run_id = ?")) {
                    ps.setObject(1, runs[u]);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            seriesIds[u][List.of(TrainingData.KEYS).indexOf(rs.getString(1))] = rs.getLong(2);
                        }
                    }
                }
            }
            settle(c);
            execute(c, "create table bench_raw_points (like metric_points including all)");
        }

        log("encoding COPY text of the same rows");
        List<List<byte[]>> copies = parallel(uploaders, u -> {
            List<byte[]> out = new ArrayList<>();
            TrainingData data = new TrainingData(stepsPerRun, false, u);
            for (Batch b; (b = data.next(options.batchSize)) != null; ) {
                out.add(data.copyText(b, seriesIds[u]));
            }
            return out;
        });
        log("raw COPY: same rows, " + uploaders + " connections, one COPY of " + fmt(options.batchSize)
                + " rows per transaction");
        cpu0 = cpuSample();
        t0 = System.nanoTime();
        parallel(uploaders, u -> {
            try (Connection c = connect()) {
                c.setAutoCommit(false);
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                for (byte[] text : copies.get(u)) {
                    copy.copyIn("COPY bench_raw_points (series_id, step, seq, epoch, time_ms, value) FROM STDIN",
                            new ByteArrayInputStream(text));
                    c.commit();
                }
            }
            return null;
        });
        double rawSeconds = seconds(t0);
        CpuMeter.Sample rawCpu = cpuUsedSince(cpu0);
        copies.clear();
        double rawRate = totalPoints / rawSeconds;
        log(String.format(Locale.ROOT, "  %.1f s, %s rows/s", rawSeconds, fmt(rawRate)));
        try (Connection c = connect()) {
            long stored = queryLong(c, "select count(*) from bench_raw_points");
            if (stored != totalPoints) {
                throw new IllegalStateException("bench_raw_points holds " + stored + " rows, expected " + totalPoints);
            }
            settle(c);
        }

        row("Ingest over HTTP (" + fmt(totalPoints) + " points, " + uploaders + " uploaders, 1 run each, "
                + fmt(options.batchSize) + "/batch, " + String.format(Locale.ROOT, "%.0f", gzBytes / 1024.0 / batches)
                + " KiB gzip each)", fmt(httpRate) + " points/s", "", "");
        if (warmupRate > 0) {
            row("(first warm-up round before it, cold server JVM, " + fmt(options.warmupPoints)
                    + " points, deleted again)", fmt(warmupRate) + " points/s", "", "");
            row("(warm-up rounds of " + fmt(options.warmupPoints) + " points + " + fmt(options.warmupRequests)
                    + " small uploads; server JIT CPU in the last one)",
                    warmupRounds + String.format(Locale.ROOT, "; %.1f s", warmupLastJit), "", "");
        }
        row("Raw COPY of the same rows (" + uploaders + " connections, " + fmt(options.batchSize)
                + " rows per COPY+commit)", fmt(rawRate) + " rows/s", "", "");
        double ratio = httpRate / rawRate;
        row("Ingest ratio HTTP / raw COPY", String.format(Locale.ROOT, "%.2f", ratio), ">= 0.50", verdict(ratio >= 0.5));
        cpuRow("HTTP ingest", httpSeconds, httpCpu);
        cpuRow("raw COPY", rawSeconds, rawCpu);
        return runs;
    }

    /**
     * Brings the freshly started server JVM to steady state with the same kind of uploads into
     * throw-away runs, deleted again before the measured ingest. A round uploads
     * {@code warmupPoints} points in full batches (hot per-point code) and then
     * {@code warmupRequests} uploads of {@value #SMALL_BATCH} points (per-request code: HTTP,
     * security, JDBC, which full batches alone call only once per 10,000 points). Rounds repeat
     * until one keeps the JIT compiler threads under {@link #JIT_QUIET_SECONDS} of CPU (a server
     * that has run for a while compiles nothing new), at most {@code warmupRounds} times.
     */
    private void warmUp(StepwiseApi api) throws Exception {
        if (options.warmupPoints <= 0) {
            return;
        }
        int uploaders = options.uploaders;
        long steps = Math.max(1, (long) Math.ceil(options.warmupPoints / (uploaders * 2.5)));
        long smallSteps = Math.max(1, (long) Math.ceil((double) options.warmupRequests * SMALL_BATCH / (uploaders * 2.5)));
        for (int round = 1; round <= options.warmupRounds; round++) {
            UUID[] runs = new UUID[uploaders * 2];
            for (int u = 0; u < runs.length; u++) {
                runs[u] = UUID.randomUUID();
                api.createRun(INGEST_PROJECT, runs[u], "warmup-" + round + "-" + u, "");
            }
            CpuMeter.Sample cpu0 = cpuSample();
            long t0 = System.nanoTime();
            int r = round;
            parallel(uploaders, u -> {
                TrainingData data = new TrainingData(steps, false, 1000 * r + u);
                int i = 0;
                for (Batch b; (b = data.next(options.batchSize)) != null; ) {
                    api.uploadGzipped(INGEST_PROJECT, runs[u], TrainingData.gzippedJson("warmup-" + i++, b), b.size());
                }
                return null;
            });
            double rate = uploaders * TrainingData.pointsFor(steps) / seconds(t0);
            parallel(uploaders, u -> {
                TrainingData data = new TrainingData(smallSteps, false, 1000 * r + 500 + u);
                int i = 0;
                for (Batch b; (b = data.next(SMALL_BATCH)) != null; ) {
                    api.uploadGzipped(INGEST_PROJECT, runs[uploaders + u], TrainingData.gzippedJson("small-" + i++, b),
                            b.size());
                }
                return null;
            });
            CpuMeter.Sample used = cpuUsedSince(cpu0);
            if (round == 1) {
                warmupRate = rate;
            }
            warmupRounds = round;
            warmupLastJit = used == null ? Double.NaN : used.serverJit();
            log(String.format(Locale.ROOT, "warm-up round %d (untimed, throw-away runs): %s points in full batches at "
                    + "%s points/s, then %s uploads of %d points; server JIT compiler CPU %.1f s", round,
                    fmt(uploaders * TrainingData.pointsFor(steps)), fmt(rate), fmt(options.warmupRequests), SMALL_BATCH,
                    warmupLastJit));
            for (UUID run : runs) {
                api.deleteRun(INGEST_PROJECT, run);
            }
            try (Connection c = connect()) {
                settle(c);
            }
            if (used == null || used.serverJit() < JIT_QUIET_SECONDS) {
                break;
            }
        }
    }

    /** Steps each uploader's run logs so that all runs together log at least {@code --points} points. */
    private long stepsPerRun() {
        return Math.max(1, (long) Math.ceil(options.points / (options.uploaders * 2.5)));
    }

    // ---- 4: 1,000-bucket series over 1M points against a full ordered read --------------------

    private void series(StepwiseApi admin, UUID[] ingestRuns) throws Exception {
        StepwiseApi reader = admin.withKey(admin.createKey(INGEST_PROJECT, "read"));
        UUID run;
        if (stepsPerRun() == SERIES_POINTS) {
            run = ingestRuns[0];
            log("series: " + SERIES_KEY + " of run ingest-0 has " + fmt(SERIES_POINTS) + " points");
        } else {
            run = UUID.randomUUID();
            StepwiseApi api = admin.withKey(admin.createKey(INGEST_PROJECT, "write"));
            api.createRun(INGEST_PROJECT, run, "series-1m", "");
            log("series: uploading a " + fmt(SERIES_POINTS) + "-point " + SERIES_KEY + " series (untimed)");
            TrainingData data = new TrainingData(SERIES_POINTS, true, 42);
            int i = 0;
            for (Batch b; (b = data.next(options.batchSize)) != null; ) {
                api.uploadGzipped(INGEST_PROJECT, run, TrainingData.gzippedJson("series-" + i++, b), b.size());
            }
            try (Connection c = connect()) {
                settle(c);
            }
        }
        String path = "/api/v1/projects/" + INGEST_PROJECT + "/runs/" + run + "/series?key="
                + StepwiseApi.encode(SERIES_KEY) + "&maxPoints=1000";
        JsonNode first = StepwiseApi.parse(reader.get(path));
        int buckets = first.get("points").get("x").size();
        if (first.get("total").asLong() != SERIES_POINTS || !first.get("downsampled").asBoolean() || buckets > 1000) {
            throw new IllegalStateException("unexpected series: total " + first.get("total") + ", downsampled "
                    + first.get("downsampled") + ", " + buckets + " buckets");
        }
        Timings seriesTimes = time(options.warmup, options.requests, () -> reader.get(path));
        log(String.format(Locale.ROOT, "  /series median %.1f ms, p95 %.1f ms", seriesTimes.median(), seriesTimes.p95()));
        // The same request as a script with a password would send it: HTTP Basic is verified on every request.
        Timings basicTimes = time(2, 10, () -> admin.get(path));
        log(String.format(Locale.ROOT, "  /series with HTTP Basic median %.1f ms", basicTimes.median()));

        long seriesId;
        Timings readTimes;
        try (Connection c = connect()) {
            try (PreparedStatement ps = c.prepareStatement("select id from metric_series where run_id = ? and key = ?")) {
                ps.setObject(1, run);
                ps.setString(2, SERIES_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seriesId = rs.getLong(1);
                }
            }
            c.setAutoCommit(false);
            readTimes = time(1, options.fullReads, () -> {
                long n = 0;
                try (PreparedStatement ps = c.prepareStatement(
                        "select step, value from metric_points where series_id = ? order by step, seq")) {
                    ps.setFetchSize(10_000);
                    ps.setLong(1, seriesId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rs.getLong(1);
                            rs.getDouble(2);
                            n++;
                        }
                    }
                }
                c.commit();
                if (n != SERIES_POINTS) {
                    throw new IllegalStateException("read " + n + " points");
                }
                return null;
            });
        }
        log(String.format(Locale.ROOT, "  full ordered read median %.1f ms", readTimes.median()));
        row("/series 1M points -> " + buckets + " buckets (maxPoints=1000, read key), median of " + seriesTimes.count(),
                ms(seriesTimes.median()), "<= 50 ms", verdict(seriesTimes.median() <= 50));
        row("/series p95 (min " + ms(seriesTimes.min()) + ", max " + ms(seriesTimes.max()) + ")",
                ms(seriesTimes.p95()), "", "");
        row("/series as above with HTTP Basic (admin password) instead of the API key, median of "
                + basicTimes.count(), ms(basicTimes.median()), "", "");
        row("Full ordered read of the 1M points (JDBC, fetch 10,000), median of " + readTimes.count(),
                ms(readTimes.median()), "", "");
        row("Ratio /series / full ordered read", String.format(Locale.ROOT, "%.3f",
                seriesTimes.median() / readTimes.median()), "", "");
    }

    // ---- 5: run list sorted by a summary stat ------------------------------------------------

    private void runList(StepwiseApi admin) throws Exception {
        admin.createProject(LIST_PROJECT);
        StepwiseApi api = admin.withKey(admin.createKey(LIST_PROJECT, "write"));
        StepwiseApi reader = admin.withKey(admin.createKey(LIST_PROJECT, "read"));
        int total = options.runs;
        int threads = 4;
        log("run list: creating " + fmt(total) + " runs with one small upload each (" + threads + " clients)");
        long t0 = System.nanoTime();
        parallel(threads, t -> {
            Random random = new Random(t);
            for (int i = t; i < total; i += threads) {
                UUID id = UUID.randomUUID();
                api.createRun(LIST_PROJECT, id, String.format(Locale.ROOT, "sweep-%05d", i),
                        ",\"group\":\"sweep-" + (i / 100) + "\",\"config\":{\"lr\":" + (1e-4 * (1 + i % 10))
                                + ",\"batch_size\":" + (32 << (i % 4)) + "}");
                StringBuilder body = new StringBuilder("{\"batchId\":\"final\",\"points\":[");
                double acc = 0.5 + 0.4 * random.nextDouble();
                for (int epoch = 0; epoch < 3; epoch++) {
                    long step = (epoch + 1) * 1000L;
                    body.append(epoch == 0 ? "" : ",")
                            .append("{\"key\":\"val/acc\",\"step\":").append(step).append(",\"value\":")
                            .append(acc * (0.9 + 0.05 * epoch)).append(",\"epoch\":").append(epoch).append('}')
                            .append(",{\"key\":\"val/loss\",\"step\":").append(step).append(",\"value\":")
                            .append((1 - acc) * (1.2 - 0.1 * epoch)).append(",\"epoch\":").append(epoch).append('}');
                }
                api.upload(LIST_PROJECT, id, body.append("]}").toString(), 6);
            }
            return null;
        });
        double setupSeconds = seconds(t0);
        log(String.format(Locale.ROOT, "  %.1f s (%s runs/s)", setupSeconds, fmt(total / setupSeconds)));
        try (Connection c = connect()) {
            settle(c);
        }
        String path = "/api/v1/projects/" + LIST_PROJECT + "/runs?sort=" + StepwiseApi.encode(LIST_SORT) + "&limit=50";
        JsonNode first = StepwiseApi.parse(reader.get(path));
        if (first.get("runs").size() != 50 || first.get("nextCursor").isNull()) {
            throw new IllegalStateException("unexpected first page: " + first.get("runs").size() + " runs");
        }
        Timings listTimes = time(options.warmup, options.requests, () -> reader.get(path));
        log(String.format(Locale.ROOT, "  run list median %.1f ms, p95 %.1f ms", listTimes.median(), listTimes.p95()));
        row("Run list over " + fmt(total) + " runs, sort=" + LIST_SORT + ", limit=50, median of " + listTimes.count(),
                ms(listTimes.median()), "<= 100 ms", verdict(listTimes.median() <= 100));
        row("Run list p95 (min " + ms(listTimes.min()) + ", max " + ms(listTimes.max()) + ")", ms(listTimes.p95()), "", "");
        row("(setup: " + fmt(total) + " x POST run + POST 6 points, " + threads + " clients)",
                fmt(total / setupSeconds) + " runs/s", "", "");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The service's embedded settings (see EmbeddedPostgresConfiguration), so results match a default install. */
    private static EmbeddedPostgres startPostgres(Path dataDir, boolean deleteOnClose, Map<String, String> extra)
            throws IOException {
        Files.createDirectories(dataDir);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(deleteOnClose)
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("max_connections", "100");
        extra.forEach(builder::setServerConfig);
        return builder.start();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }

    /**
     * Between phases: vacuum and analyze (what autovacuum does shortly after a bulk load) and a
     * checkpoint, so one phase's background work does not land in the next phase's timings.
     */
    private void settle(Connection c) throws SQLException {
        execute(c, "vacuum analyze");
        execute(c, "checkpoint");
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Timings time(int warmup, int measured, Callable<?> call) throws Exception {
        for (int i = 0; i < warmup; i++) {
            call.call();
        }
        double[] ms = new double[measured];
        for (int i = 0; i < measured; i++) {
            long t0 = System.nanoTime();
            call.call();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return Timings.of(ms);
    }

    interface Task<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code task(0..n-1)} on n threads and returns the results in index order. */
    private static <T> List<T> parallel(int n, Task<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> task.run(index)));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private void printReport() throws Exception {
        System.out.println();
        System.out.println("Stepwise server benchmark  (" + String.format(Locale.ROOT, "%.0f s", seconds(started))
                + " in all)");
        System.out.println("Machine:    " + machine());
        System.out.println("Java:       " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + " (benchmark and server)");
        System.out.println("PostgreSQL: " + postgresVersion + " (embedded, same server for HTTP and raw sides)");
        System.out.println("Load avg:   " + loadAtStart + " at start, " + CpuMeter.loadAverage().orElse("n/a")
                + " at end (other work on the machine skews the figures)");
        int w0 = "Measure".length();
        int w1 = "Result".length();
        int w2 = "Target".length();
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
            w2 = Math.max(w2, r[2].length());
        }
        String format = "%-" + w0 + "s | %" + w1 + "s | %-" + w2 + "s | %s%n";
        System.out.println();
        System.out.printf(format, "Measure", "Result", "Target", "");
        System.out.println("-".repeat(w0) + "-+-" + "-".repeat(w1) + "-+-" + "-".repeat(w2) + "-+------");
        for (String[] r : rows) {
            System.out.printf(format, (Object[]) r);
        }
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | RuntimeException ignored) {
            // not Linux: keep "unknown CPU"
        }
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
                + String.format(Locale.ROOT, "%.1f GiB RAM", memory / (1024.0 * 1024 * 1024)) + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version");
    }

    private CpuMeter.Sample cpuSample() {
        return cpu == null ? null : cpu.sample();
    }

    private CpuMeter.Sample cpuUsedSince(CpuMeter.Sample start) {
        return cpu == null ? null : cpu.sample().minus(start);
    }

    private void cpuRow(String phase, double wallSeconds, CpuMeter.Sample used) {
        row("CPU seconds during " + phase + " (" + String.format(Locale.ROOT, "%.1f", wallSeconds)
                        + " s wall): server JVM / PostgreSQL / benchmark client",
                used == null ? "n/a" : String.format(Locale.ROOT, "%.1f / %.1f / %.1f", used.server(), used.postgres(),
                        used.bench()), "", "");
        if (used != null && used.server() > 0) {
            row("  of which the server JVM's JIT compiler threads", String.format(Locale.ROOT, "%.1f", used.serverJit()),
                    "", "");
        }
    }

    private void row(String measure, String result, String target, String verdict) {
        rows.add(new String[] {measure, result, target, verdict});
    }

    private static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f ms", millis);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private void log(String message) {
        System.err.printf(Locale.ROOT, "[%6.1f s] %s%n", seconds(started), message);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Command-line options, {@code --name=value}. */
    static final class Options {
        Path jar = Path.of("service/target/stepwise-server.jar");
        long points = 5_000_000;
        int batchSize = 10_000;
        int uploaders = 2;
        int runs = 10_000;
        int warmup = 5;
        int requests = 30;
        int fullReads = 5;
        long warmupPoints = 1_000_000;
        int warmupRounds = 6;
        int warmupRequests = 3000;
        boolean keepData;
        Map<String, String> postgresSettings = new java.util.LinkedHashMap<>();
        List<String> serverJavaOptions = new ArrayList<>();

        static Options parse(String[] args) {
            Options o = new Options();
            Map<String, String> given = new HashMap<>();
            for (String arg : args) {
                if (arg.equals("--help") || arg.equals("-h")) {
                    System.out.println("""
                            java -jar bench/server/target/stepwise-bench.jar [options]
                              --jar=PATH                  server jar (service/target/stepwise-server.jar)
                              --points=N                  points to ingest over HTTP and by raw COPY (5000000)
                              --batch=N                   points per upload and rows per COPY (10000)
                              --uploaders=N               concurrent uploaders, one run each (2)
                              --runs=N                    runs for the run-list measurement (10000)
                              --warmup=N                  warm-up requests before each latency measurement (5)
                              --requests=N                measured requests per latency measurement (30)
                              --full-reads=N              measured full ordered reads of the 1M series (5)
                              --warmup-points=N           points in full batches per untimed warm-up round (1000000)
                              --warmup-requests=N         small uploads (100 points) per warm-up round (3000)
                              --warmup-rounds=N           at most this many rounds; stops early once a round keeps
                                                          the JIT compiler under 0.3 s of CPU (6)
                              --postgres-setting=K=V      extra PostgreSQL setting, repeatable
                                                          (e.g. shared_preload_libraries=pg_stat_statements)
                              --server-java-options=OPTS  JVM options for the server, space-separated (e.g. JFR)
                              --keep-data                 keep the temporary data directory""");
                    return null;
                }
                if (arg.equals("--keep-data")) {
                    o.keepData = true;
                    continue;
                }
                int eq = arg.indexOf('=');
                if (!arg.startsWith("--") || eq < 0) {
                    throw new IllegalArgumentException("unknown argument " + arg + " (see --help)");
                }
                if (arg.startsWith("--postgres-setting=")) {
                    String setting = arg.substring(eq + 1);
                    int sep = setting.indexOf('=');
                    if (sep < 1) {
                        throw new IllegalArgumentException("--postgres-setting needs NAME=VALUE, got " + setting);
                    }
                    o.postgresSettings.put(setting.substring(0, sep), setting.substring(sep + 1));
                    continue;
                }
                given.put(arg.substring(2, eq), arg.substring(eq + 1));
            }
            given.forEach((name, value) -> {
                switch (name) {
                    case "jar" -> o.jar = Path.of(value);
                    case "points" -> o.points = Long.parseLong(value);
                    case "batch" -> o.batchSize = Integer.parseInt(value);
                    case "uploaders" -> o.uploaders = Integer.parseInt(value);
                    case "runs" -> o.runs = Integer.parseInt(value);
                    case "warmup" -> o.warmup = Integer.parseInt(value);
                    case "requests" -> o.requests = Integer.parseInt(value);
                    case "full-reads" -> o.fullReads = Integer.parseInt(value);
                    case "warmup-points" -> o.warmupPoints = Long.parseLong(value);
                    case "warmup-rounds" -> o.warmupRounds = Integer.parseInt(value);
                    case "warmup-requests" -> o.warmupRequests = Integer.parseInt(value);
                    case "server-java-options" -> o.serverJavaOptions = List.of(value.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
                }
            });
            return o;
        }
    }
}
