package dev.stepwise.bench.server;

import dev.stepwise.bench.server.TrainingData.Batch;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many trainers at once: N simulated trainers, one run each, each uploading a gzip batch of 200
 * points per second the way the SDK does (a {@code batchId} per batch, reused on every retry, a
 * retry after {@code Retry-After} on 429/503 and after a second on I/O errors) plus a heartbeat
 * every 10 seconds, for a fixed time per N. Reports per N: offered and stored points per second,
 * request latency p50/p99/p99.9, 429 and 5xx counts, the server's peak heap and RSS, CPU seconds of
 * the server and PostgreSQL, and whether every acknowledged batch is stored exactly once (rows in
 * {@code metric_points} per run against the points acknowledged for it). See
 * {@code bench/README.md}.
 */
public final class LoadBenchmark {

    private static final String ADMIN_PASSWORD = "bench-admin-password";
    private static final int POINTS_PER_REQUEST = 200;
    private static final long HEARTBEAT_MILLIS = 10_000;
    private static final Pattern HEAP = Pattern.compile(
            "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\}\\s+([0-9.eE+-]+)", Pattern.MULTILINE);

    private final List<Integer> trainerCounts;
    private final int seconds;
    private final Path jar;
    private final List<String> serverJavaOptions;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> report = new ArrayList<>();

    private LoadBenchmark(List<Integer> trainerCounts, int seconds, Path jar, List<String> serverJavaOptions) {
        this.trainerCounts = trainerCounts;
        this.seconds = seconds;
        this.jar = jar;
        this.serverJavaOptions = serverJavaOptions;
    }

    public static void main(String[] args) throws Exception {
        List<Integer> counts = List.of(100, 300, 1000);
        int seconds = 30;
        Path jar = Path.of("service/target/stepwise-server.jar");
        List<String> javaOptions = List.of("-Xmx1g");
        for (String arg : args) {
            if (arg.startsWith("--trainers=")) {
                counts = Arrays.stream(arg.substring(11).split(",")).map(Integer::valueOf).toList();
            } else if (arg.startsWith("--seconds=")) {
                seconds = Integer.parseInt(arg.substring(10));
            } else if (arg.startsWith("--jar=")) {
                jar = Path.of(arg.substring(6));
            } else if (arg.startsWith("--server-java-options=")) {
                javaOptions = List.of(arg.substring(22).trim().split("\\s+"));
            } else {
                System.out.println("options: --trainers=100,300,1000 --seconds=30 "
                        + "--jar=service/target/stepwise-server.jar --server-java-options=\"-Xmx1g\"");
                return;
            }
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " not found; build it first: "
                    + "mvn -B -q -DskipTests -pl service -am package");
        }
        new LoadBenchmark(counts, seconds, jar, javaOptions).run();
    }

    private void run() throws Exception {
        Path dir = Files.createTempDirectory("swbench-load-");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(true).setServerConfig("synchronous_commit", "on")
                .setServerConfig("listen_addresses", "localhost").setServerConfig("max_connections", "100")
                .start()) {
            String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            Path serverDir = Files.createDirectories(dir.resolve("server"));
            try (StepwiseServer server = StepwiseServer.start(jar, serverDir, jdbcUrl, ADMIN_PASSWORD,
                    serverJavaOptions, Duration.ofMinutes(2))) {
                CpuMeter cpu = CpuMeter.available() ? new CpuMeter(server.pid(), dir.resolve("postgres")) : null;
                StepwiseApi admin = StepwiseApi.admin(server.baseUri(), "admin", ADMIN_PASSWORD);
                String loadAtStart = CpuMeter.loadAverage().orElse("n/a");
                // A short round first so the figures below are of a warmed-up server, not of its JIT.
                round(server, admin, cpu, jdbcUrl, Math.min(50, trainerCounts.get(0)), Math.min(15, seconds), true);
                for (int n : trainerCounts) {
                    round(server, admin, cpu, jdbcUrl, n, seconds, false);
                }
                System.out.println();
                System.out.printf(Locale.ROOT, "%d cores, %s, server options %s, load average %s at start, %s at end%n",
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                        serverJavaOptions, loadAtStart, CpuMeter.loadAverage().orElse("n/a"));
                report.forEach(System.out::println);
            }
        } finally {
            ServerBenchmark.deleteTree(dir);
        }
    }

    /** One load round of {@code n} trainers for {@code seconds} seconds in a project of its own. */
    private void round(StepwiseServer server, StepwiseApi admin, CpuMeter cpu, String jdbcUrl, int n, int seconds,
            boolean warmUp) throws Exception {
        String slug = (warmUp ? "load-warmup-" : "load-") + n;
        admin.createProject(slug);
        String key = admin.createKey(slug, "write");
        StepwiseApi api = admin.withKey(key);
        UUID[] runs = new UUID[n];
        for (int t = 0; t < n; t++) {
            runs[t] = UUID.randomUUID();
            api.createRun(slug, runs[t], "trainer-" + t, "");
        }
        // Bodies are encoded before the clock starts: the figures are the server's, not the client's.
        byte[][][] bodies = new byte[n][seconds][];
        for (int t = 0; t < n; t++) {
            TrainingData data = new TrainingData(Long.MAX_VALUE, false, t);
            for (int r = 0; r < seconds; r++) {
                Batch b = data.next(POINTS_PER_REQUEST);
                bodies[t][r] = TrainingData.gzippedJson(runs[t] + "-" + r, b);
            }
        }
        log((warmUp ? "warm-up: " : "") + n + " trainers x " + seconds + " s");

        Stats stats = new Stats(n);
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        CountDownLatch done = new CountDownLatch(n * seconds);
        String auth = "Bearer " + key;
        long start = System.nanoTime() + 500_000_000L;
        CpuMeter.Sample cpuBefore = cpu == null ? null : cpu.sample();
        for (int t = 0; t < n; t++) {
            // Trainers start spread over the first second, as real ones are not in lock step.
            long offset = start + (long) t * 1_000_000_000L / n - System.nanoTime();
            for (int r = 0; r < seconds; r++) {
                int trainer = t;
                HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve(
                                "/api/v1/projects/" + slug + "/runs/" + runs[t] + "/metrics"))
                        .timeout(Duration.ofSeconds(60)).header("Authorization", auth)
                        .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(bodies[t][r])).build();
                scheduler.schedule(() -> upload(scheduler, request, trainer, stats, done),
                        offset + r * 1_000_000_000L, TimeUnit.NANOSECONDS);
            }
            for (long h = HEARTBEAT_MILLIS; h < seconds * 1000L; h += HEARTBEAT_MILLIS) {
                HttpRequest heartbeat = HttpRequest.newBuilder(server.baseUri().resolve(
                                "/api/v1/projects/" + slug + "/runs/" + runs[t] + "/heartbeat"))
                        .timeout(Duration.ofSeconds(60)).header("Authorization", auth)
                        .POST(HttpRequest.BodyPublishers.noBody()).build();
                scheduler.schedule(() -> heartbeat(heartbeat, stats), offset + h * 1_000_000L, TimeUnit.NANOSECONDS);
            }
        }
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> sampleMemory(server, stats), 0, 1, TimeUnit.SECONDS);
        boolean finished = done.await(seconds + 120L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        CpuMeter.Sample used = cpu == null ? null : cpu.sample().minus(cpuBefore);
        sampler.shutdownNow();
        scheduler.shutdownNow();
        if (!finished) {
            throw new IllegalStateException(done.getCount() + " uploads still unanswered after " + elapsed + " s");
        }

        long[] stored = storedPerRun(jdbcUrl, runs);
        long mismatched = 0;
        for (int t = 0; t < n; t++) {
            if (stored[t] != stats.acknowledgedPoints[t].get()) {
                mismatched++;
            }
        }
        if (warmUp) {
            return;
        }
        double[] latencies = stats.latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        long acknowledged = Arrays.stream(stats.acknowledgedPoints).mapToLong(AtomicLong::get).sum();
        report.add("");
        report.add(String.format(Locale.ROOT, "N = %,d trainers, %d s, %d points per request at 1 request/s each, "
                + "heartbeat every %d s", n, seconds, POINTS_PER_REQUEST, HEARTBEAT_MILLIS / 1000));
        report.add(String.format(Locale.ROOT, "  offered %,.0f points/s, stored %,.0f points/s (%,d points in %.1f s)",
                (double) n * POINTS_PER_REQUEST, acknowledged / elapsed, acknowledged, elapsed));
        report.add(String.format(Locale.ROOT, "  upload requests %,d (retries %,d), heartbeats %,d: p50 %.1f ms, "
                        + "p99 %.1f ms, p99.9 %.1f ms, max %.1f ms", latencies.length, stats.retries.get(),
                stats.heartbeats.get(), pct(latencies, 0.50), pct(latencies, 0.99), pct(latencies, 0.999),
                latencies.length == 0 ? 0 : latencies[latencies.length - 1]));
        report.add(String.format(Locale.ROOT, "  429: %d, 5xx: %d, I/O errors: %d, other: %s", stats.tooMany.get(),
                stats.serverErrors.get(), stats.ioErrors.get(), stats.other));
        report.add(String.format(Locale.ROOT, "  server peak heap %.0f MiB, peak RSS %.0f MiB", stats.peakHeap.get() / 1048576.0,
                stats.peakRss.get() / 1048576.0));
        if (used != null) {
            report.add(String.format(Locale.ROOT, "  CPU seconds: server JVM %.1f, PostgreSQL %.1f, benchmark %.1f "
                    + "(%.1f s wall, %d cores)", used.server(), used.postgres(), used.bench(), elapsed,
                    Runtime.getRuntime().availableProcessors()));
        }
        report.add(String.format(Locale.ROOT, "  exactly once: %s (%d of %d runs differ from their acknowledged points)",
                mismatched == 0 ? "yes" : "NO", mismatched, n));
    }

    private void upload(ScheduledExecutorService scheduler, HttpRequest request, int trainer, Stats stats,
            CountDownLatch done) {
        long sent = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            stats.latencies.add((System.nanoTime() - sent) / 1e6);
            long retryAfterMillis = 1000;
            if (error != null) {
                stats.ioErrors.incrementAndGet();
            } else if (response.statusCode() == 200) {
                String body = response.body();
                // A duplicate answers {accepted: 0}: an earlier attempt, whose answer was lost, stored the batch.
                stats.acknowledgedPoints[trainer].addAndGet(body.contains("\"duplicate\":true")
                        ? POINTS_PER_REQUEST : accepted(body));
                done.countDown();
                return;
            } else if (response.statusCode() == 429 || response.statusCode() >= 500) {
                (response.statusCode() == 429 ? stats.tooMany : stats.serverErrors).incrementAndGet();
                retryAfterMillis = response.headers().firstValue("Retry-After").map(s -> Long.parseLong(s) * 1000)
                        .orElse(1000L);
            } else {
                stats.other.merge(response.statusCode(), 1, Integer::sum);
                done.countDown();
                return;
            }
            // Retried with the same body, so the same batchId, exactly as the SDK does.
            stats.retries.incrementAndGet();
            scheduler.schedule(() -> upload(scheduler, request, trainer, stats, done), retryAfterMillis,
                    TimeUnit.MILLISECONDS);
        });
    }

    private void heartbeat(HttpRequest request, Stats stats) {
        long sent = System.nanoTime();
        http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            stats.latencies.add((System.nanoTime() - sent) / 1e6);
            stats.heartbeats.incrementAndGet();
            if (error != null) {
                stats.ioErrors.incrementAndGet();
            } else if (response.statusCode() >= 500) {
                stats.serverErrors.incrementAndGet();
            } else if (response.statusCode() == 429) {
                stats.tooMany.incrementAndGet();
            } else if (response.statusCode() != 204) {
                stats.other.merge(response.statusCode(), 1, Integer::sum);
            }
        });
    }

    private void sampleMemory(StepwiseServer server, Stats stats) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(server.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    stats.peakRss.accumulate(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
            // Anonymous, as a Prometheus scraper asks: with Basic the server would spend a bcrypt per sample.
            HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve("/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            double heap = 0;
            Matcher m = HEAP.matcher(response.body());
            while (m.find()) {
                heap += Double.parseDouble(m.group(1));
            }
            stats.peakHeap.accumulate((long) heap);
        } catch (IOException | RuntimeException e) {
            // a sample missed under load; the next one counts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long[] storedPerRun(String jdbcUrl, UUID[] runs) throws Exception {
        long[] stored = new long[runs.length];
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", "");
                PreparedStatement count = c.prepareStatement("select count(*) from metric_points p "
                        + "join metric_series s on s.id = p.series_id where s.run_id = ?")) {
            for (int t = 0; t < runs.length; t++) {
                count.setObject(1, runs[t]);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    stored[t] = rs.getLong(1);
                }
            }
        }
        return stored;
    }

    private static int accepted(String body) {
        Matcher m = Pattern.compile("\"accepted\":(\\d+)").matcher(body);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static double pct(double[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static void log(String message) {
        System.out.println("[load] " + message);
    }

    private static final class Stats {
        final AtomicLong[] acknowledgedPoints;
        final ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        final AtomicLong retries = new AtomicLong();
        final AtomicLong heartbeats = new AtomicLong();
        final AtomicLong tooMany = new AtomicLong();
        final AtomicLong serverErrors = new AtomicLong();
        final AtomicLong ioErrors = new AtomicLong();
        final Map<Integer, Integer> other = new ConcurrentHashMap<>();
        final LongAccumulator peakHeap = new LongAccumulator(Math::max, 0);
        final LongAccumulator peakRss = new LongAccumulator(Math::max, 0);

        Stats(int n) {
            acknowledgedPoints = new AtomicLong[n];
            for (int i = 0; i < n; i++) {
                acknowledgedPoints[i] = new AtomicLong();
            }
        }
    }
}
