package dev.stepwise.bench.server;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;

/**
 * A 1000-metric MLflow {@code runs/log-batch} over HTTP next to the native batch upload of the same
 * points ({@code POST /runs/{id}/metrics}), one request at a time, against the packaged server on an
 * embedded PostgreSQL. Both bodies are plain JSON (MLflow clients do not compress) with a write key.
 * Prints p50, p99 and mean per request for both and their ratio.
 *
 * <p>Run from the repository root after building the server jar:
 * {@code mvn -B -q -DskipTests -pl service -am package && mvn -B -q -f bench/server/pom.xml package &&
 * java -cp bench/server/target/stepwise-bench.jar dev.stepwise.bench.server.MlflowBatchBenchmark [requests]}
 */
public final class MlflowBatchBenchmark {

    private static final int METRICS = 1000;
    private static final int KEYS = 10;
    private static final String PASSWORD = "bench-admin-password";

    private MlflowBatchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int measured = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int warmUp = Math.max(200, measured / 2);
        Path jar = Path.of("service/target/stepwise-server.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " not found; build it first");
        }
        Path dir = Files.createTempDirectory("swbench-mlflow-");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(true).setServerConfig("synchronous_commit", "on")
                .setServerConfig("listen_addresses", "localhost").start()) {
            String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            Path serverDir = Files.createDirectories(dir.resolve("server"));
            try (StepwiseServer server = StepwiseServer.start(jar, serverDir, jdbcUrl, PASSWORD, List.of("-Xmx1g"),
                    Duration.ofMinutes(2))) {
                run(server.baseUri(), measured, warmUp);
            }
        }
    }

    private static void run(URI base, int measured, int warmUp) throws Exception {
        StepwiseApi admin = StepwiseApi.admin(base, "admin", PASSWORD);
        String slug = "mlflow-bench";
        admin.createProject(slug);
        String key = admin.createKey(slug, "write");
        UUID nativeRun = UUID.randomUUID();
        admin.withKey(key).createRun(slug, nativeRun, "native", "");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auth = "Bearer " + key;
        String created = send(http, post(base, "/api/2.0/mlflow/runs/create", auth,
                "{\"experiment_id\":\"" + slug + "\"}"));
        String mlflowRun = StepwiseApi.parse(created).get("run").get("info").get("run_id").asString();

        Random random = new Random(42);
        double[] mlflow = new double[measured];
        double[] nativeUpload = new double[measured];
        long t0 = 1_700_000_000_000L;
        for (int i = -warmUp; i < measured; i++) {
            long firstStep = (long) (i + warmUp) * (METRICS / KEYS);
            StringBuilder m = new StringBuilder("{\"run_id\":\"").append(mlflowRun).append("\",\"metrics\":[");
            StringBuilder n = new StringBuilder("{\"batchId\":\"").append(UUID.randomUUID()).append("\",\"points\":[");
            for (int p = 0; p < METRICS; p++) {
                long step = firstStep + p / KEYS;
                String k = "train/metric_" + (p % KEYS);
                String value = Double.toString(random.nextDouble());
                long time = t0 + step * 10;
                m.append(p == 0 ? "" : ",").append("{\"key\":\"").append(k).append("\",\"value\":").append(value)
                        .append(",\"timestamp\":").append(time).append(",\"step\":").append(step).append('}');
                n.append(p == 0 ? "" : ",").append("{\"key\":\"").append(k).append("\",\"step\":").append(step)
                        .append(",\"value\":").append(value).append(",\"time\":").append(time).append('}');
            }
            HttpRequest mlflowRequest = post(base, "/api/2.0/mlflow/runs/log-batch", auth, m.append("]}").toString());
            HttpRequest nativeRequest = post(base, "/api/v1/projects/" + slug + "/runs/" + nativeRun + "/metrics",
                    auth, n.append("]}").toString());
            // Alternate which goes first so neither always follows the other's commit.
            boolean mlflowFirst = (i & 1) == 0;
            double a = timed(http, mlflowFirst ? mlflowRequest : nativeRequest);
            double b = timed(http, mlflowFirst ? nativeRequest : mlflowRequest);
            if (i >= 0) {
                mlflow[i] = mlflowFirst ? a : b;
                nativeUpload[i] = mlflowFirst ? b : a;
            }
        }
        Timings ml = Timings.of(mlflow);
        Timings nat = Timings.of(nativeUpload);
        System.out.printf(Locale.ROOT, "%d requests of %d metrics each (%d warm-up), one at a time, plain JSON, write key%n",
                measured, METRICS, warmUp);
        System.out.printf(Locale.ROOT, "%-28s p50 %7.2f ms   p99 %7.2f ms   mean %7.2f ms   max %7.2f ms%n",
                "MLflow runs/log-batch", ml.median(), p99(ml), mean(mlflow), ml.max());
        System.out.printf(Locale.ROOT, "%-28s p50 %7.2f ms   p99 %7.2f ms   mean %7.2f ms   max %7.2f ms%n",
                "native POST /metrics", nat.median(), p99(nat), mean(nativeUpload), nat.max());
        System.out.printf(Locale.ROOT, "MLflow / native: p50 %.2fx, p99 %.2fx%n", ml.median() / nat.median(),
                p99(ml) / p99(nat));
    }

    private static double p99(Timings t) {
        return t.millis()[(int) Math.ceil(0.99 * t.count()) - 1];
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    private static double timed(HttpClient http, HttpRequest request) throws Exception {
        long start = System.nanoTime();
        send(http, request);
        return (System.nanoTime() - start) / 1e6;
    }

    private static HttpRequest post(URI base, String path, String auth, String json) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build();
    }

    private static String send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }
}
