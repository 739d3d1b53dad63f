package dev.stepwise.server.metric;

import static dev.stepwise.server.support.TrackingFixtures.batch;
import static dev.stepwise.server.support.TrackingFixtures.decode;
import static dev.stepwise.server.support.TrackingFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class MetricIngestTests extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    private long storedPoints(String runId) {
        return jdbc.queryForObject("select count(*) from metric_points p join metric_series s on s.id = p.series_id "
                + "where s.run_id = ?", Long.class, UUID.fromString(runId));
    }

    private static List<Map<String, Object>> points(String key, int from, int count, Random random) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            points.add(point(key, i, random.nextGaussian(), i / 100));
        }
        return points;
    }

    @Test
    void summaryMatchesAReferenceComputation() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        Random random = new Random(7);
        List<Double> values = new ArrayList<>();
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            double v = i % 97 == 0 ? Double.NaN : i % 389 == 0 ? Double.POSITIVE_INFINITY : 5 + random.nextGaussian() * 3;
            values.add(v);
            points.add(point("train/loss", 10 + (i * 7L) % 3000, v, null));
        }
        // Three uploads, so the running summary is merged across batches.
        upload(slug, run, "a", points.subList(0, 1000));
        upload(slug, run, "b", points.subList(1000, 2500));
        upload(slug, run, "c", points.subList(2500, 3000));

        double[] finite = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).toArray();
        double mean = java.util.Arrays.stream(finite).average().orElseThrow();
        double variance = java.util.Arrays.stream(finite).map(v -> (v - mean) * (v - mean)).sum() / finite.length;
        int lastIndex = 0;
        for (int i = 0; i < points.size(); i++) {
            long step = (Long) points.get(i).get("step");
            if (step >= (Long) points.get(lastIndex).get("step")) {
                lastIndex = i;
            }
        }
        var summary = api.get(runPath(slug, run) + "/summary", ADMIN).json().get("train/loss");
        assertThat(summary.get("n").asLong()).isEqualTo(3000);
        assertThat(summary.get("mean").asDouble()).isCloseTo(mean, within(1e-9));
        assertThat(summary.get("std").asDouble()).isCloseTo(Math.sqrt(variance), within(1e-9));
        assertThat(summary.get("min").asDouble()).isEqualTo(java.util.Arrays.stream(finite).min().orElseThrow());
        assertThat(summary.get("max").asDouble()).isEqualTo(java.util.Arrays.stream(finite).max().orElseThrow());
        assertThat(summary.get("first_step").asLong()).isEqualTo(10);
        assertThat(summary.get("last_step").asLong()).isEqualTo(3009);
        assertThat(decode(summary.get("last"))).isEqualTo(values.get(lastIndex));

        var metric = api.get(runPath(slug, run) + "/metrics", ADMIN).json().get("metrics").get(0);
        assertThat(metric.get("nonFinite").asLong()).isEqualTo(values.stream().filter(v -> !Double.isFinite(v)).count());
        assertThat(metric.get("firstStep").asLong()).isEqualTo(10);
    }

    @Test
    void lastIsTheLatestUploadAmongEqualSteps() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        upload(slug, run, null, List.of(point("acc", 5, 0.1, null), point("acc", 5, 0.2, null)));
        upload(slug, run, null, List.of(point("acc", 5, 0.3, null), point("acc", 4, 0.9, null)));
        var summary = api.get(runPath(slug, run) + "/summary", ADMIN).json().get("acc");
        assertThat(summary.get("last").asDouble()).isEqualTo(0.3);
        var series = api.get(runPath(slug, run) + "/series?key=acc", ADMIN).json().get("points");
        assertThat(series.get("x").toString()).isEqualTo("[4,5,5,5]");
        assertThat(series.get("y").toString()).isEqualTo("[0.9,0.1,0.2,0.3]");
    }

    @Test
    void replayedBatchIsStoredOnce() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        var body = batch("batch-1", points("loss", 0, 500, new Random(1)));
        Api.Response first = api.post(runPath(slug, run) + "/metrics", ADMIN, body);
        Api.Response second = api.post(runPath(slug, run) + "/metrics", ADMIN, body);
        assertThat(first.json().get("accepted").asInt()).isEqualTo(500);
        assertThat(first.json().get("duplicate").asBoolean()).isFalse();
        assertThat(second.json().get("accepted").asInt()).isZero();
        assertThat(second.json().get("duplicate").asBoolean()).isTrue();
        assertThat(storedPoints(run)).isEqualTo(500);
        assertThat(api.get(runPath(slug, run) + "/summary", ADMIN).json().get("loss").get("n").asLong()).isEqualTo(500);
    }

    @Test
    @Timeout(120)
    void concurrentRetriesOfTheSameBatchStoreItOnce() throws Exception {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        byte[] body = Api.JSON.writeValueAsBytes(batch("same-batch", points("loss", 0, 5000, new Random(2))));
        List<Api.Response> responses = concurrently(8, () -> api.post(runPath(slug, run) + "/metrics", ADMIN, body));
        assertThat(responses).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
        assertThat(responses.stream().filter(r -> !r.json().get("duplicate").asBoolean()).count()).isEqualTo(1);
        assertThat(storedPoints(run)).isEqualTo(5000);
        assertThat(api.get(runPath(slug, run) + "/summary", ADMIN).json().get("loss").get("n").asLong()).isEqualTo(5000);
    }

    @Test
    @Timeout(120)
    void concurrentUploadsToOneRunLoseNoSummaryUpdate() throws Exception {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        int uploads = 12;
        List<byte[]> bodies = new ArrayList<>();
        double sum = 0;
        for (int u = 0; u < uploads; u++) {
            List<Map<String, Object>> pts = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                double v = u * 1000 + i;
                sum += v;
                pts.add(point("loss", u * 1000L + i, v, u));
                pts.add(point("acc", u * 1000L + i, 1.0, u));
            }
            bodies.add(Api.JSON.writeValueAsBytes(batch("upload-" + u, pts)));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < uploads; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(3));
        var queue = new java.util.concurrent.ConcurrentLinkedQueue<>(order);
        concurrently(uploads, () -> api.post(runPath(slug, run) + "/metrics", ADMIN, bodies.get(queue.poll())));
        var summary = api.get(runPath(slug, run) + "/summary", ADMIN).json();
        assertThat(summary.get("loss").get("n").asLong()).isEqualTo(12_000);
        assertThat(summary.get("acc").get("n").asLong()).isEqualTo(12_000);
        assertThat(summary.get("loss").get("mean").asDouble()).isCloseTo(sum / 12_000, within(1e-6));
        assertThat(summary.get("loss").get("last").asDouble()).isEqualTo(11_999);
        assertThat(storedPoints(run)).isEqualTo(24_000);
        assertThat(jdbc.queryForObject("select count(distinct seq) from metric_points p join metric_series s "
                + "on s.id = p.series_id where s.run_id = ? and s.key = 'loss'", Long.class, UUID.fromString(run)))
                .isEqualTo(12_000);
        var epochs = api.get(runPath(slug, run) + "/epochs?key=acc", ADMIN).json().get("epochs");
        assertThat(epochs).hasSize(12);
        epochs.forEach(e -> assertThat(e.get("n").asLong()).isEqualTo(1000));
    }

    private static List<Api.Response> concurrently(int threads, Callable<Api.Response> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<Api.Response> responses = new ArrayList<>();
            for (Future<Api.Response> f : futures) {
                responses.add(f.get());
            }
            return responses;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyInterleavedKeysInOneUploadEachKeepTheirOwnSeries() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        List<Map<String, Object>> pts = new ArrayList<>();
        // 300 keys, several with the same hash-table slot pattern and prefixes, interleaved per step.
        for (int step = 0; step < 4; step++) {
            for (int k = 0; k < 300; k++) {
                pts.add(point("layer" + k + "/grad_norm", step, k * 10.0 + step, null));
            }
        }
        pts.add(point("Aa", 0, 1.0, null));
        pts.add(point("BB", 0, 2.0, null));
        upload(slug, run, "many-keys", pts);
        var summary = api.get(runPath(slug, run) + "/summary", ADMIN).json();
        assertThat(summary.size()).isEqualTo(302);
        for (int k = 0; k < 300; k++) {
            var s = summary.get("layer" + k + "/grad_norm");
            assertThat(s.get("n").asLong()).as("key %d", k).isEqualTo(4);
            assertThat(s.get("min").asDouble()).as("key %d", k).isEqualTo(k * 10.0);
            assertThat(s.get("last").asDouble()).as("key %d", k).isEqualTo(k * 10.0 + 3);
        }
        // "Aa" and "BB" have the same String hash code.
        assertThat(summary.get("Aa").get("last").asDouble()).isEqualTo(1.0);
        assertThat(summary.get("BB").get("last").asDouble()).isEqualTo(2.0);
    }

    @Test
    void anInvalidPointRejectsTheWholeUploadAndNamesIt() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        List<Map<String, Object>> pts = new ArrayList<>(points("loss", 0, 10, new Random(4)));
        Map<String, Object> bad = new HashMap<>(pts.get(7));
        bad.put("value", "high");
        pts.set(7, bad);
        Map<String, Object> negative = new HashMap<>(pts.get(9));
        negative.put("step", -3);
        pts.set(9, negative);
        Api.Response response = api.post(runPath(slug, run) + "/metrics", ADMIN, batch("rejected", pts));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("invalidPoints").get(0).get("index").asInt()).isEqualTo(7);
        assertThat(response.json().get("invalidPoints").get(1).get("index").asInt()).isEqualTo(9);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("points[7].value");
        assertThat(response.json().get("detail").asString()).contains("index 7");
        assertThat(storedPoints(run)).isZero();
        // The batch id was not consumed by the rejected upload.
        upload(slug, run, "rejected", points("loss", 0, 10, new Random(4)));
        assertThat(storedPoints(run)).isEqualTo(10);
    }

    @Test
    void malformedUploadsAreClientErrors() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        String path = runPath(slug, run) + "/metrics";
        assertThat(api.post(path, ADMIN, "{\"points\": 5}").status()).isEqualTo(400);
        assertThat(api.post(path, ADMIN, "[1,2]").status()).isEqualTo(400);
        assertThat(api.post(path, ADMIN, "{\"points\": [], \"extra\": 1}").status()).isEqualTo(400);
        assertThat(api.post(path, ADMIN, "{\"batchId\": \"" + "x".repeat(65) + "\", \"points\": []}").status())
                .isEqualTo(400);
        assertThat(api.post(path, ADMIN, "{\"points\": [{\"key\":\"k\",\"step\":1.5,\"value\":1}]}").status())
                .isEqualTo(400);
        assertThat(api.post(path, ADMIN, "{\"points\": [{\"key\":\"k\",\"step\":1,\"value\":1,\"time\":\"yesterday\"}]}")
                .status()).isEqualTo(400);
        assertThat(api.post(path, ADMIN, "{\"points\": [{\"key\":\"" + "k".repeat(251) + "\",\"step\":1,\"value\":1}]}")
                .status()).isEqualTo(400);
        assertThat(api.post(path, ADMIN, "{\"points\": [{\"key\":\"a\\u0000b\",\"step\":1,\"value\":1}]}").status())
                .isEqualTo(400);
        assertThat(storedPoints(run)).isZero();
    }

    @Test
    void moreThanFiftyThousandPointsIsTooLarge() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        StringBuilder sb = new StringBuilder("{\"points\":[");
        for (int i = 0; i <= 50_000; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"key\":\"k\",\"step\":").append(i).append(",\"value\":1}");
        }
        sb.append("]}");
        Api.Response response = api.post(runPath(slug, run) + "/metrics", ADMIN, sb.toString());
        assertThat(response.status()).isEqualTo(413);
        assertThat(storedPoints(run)).isZero();
    }

    @Test
    void gzipUploadsAreAccepted() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        byte[] json = Api.JSON.writeValueAsString(batch("gz", points("loss", 0, 2000, new Random(5))))
                .getBytes(StandardCharsets.UTF_8);
        Api.Response response = api.send("POST", runPath(slug, run) + "/metrics", ADMIN, Api.gzip(json),
                Map.of("Content-Encoding", "gzip"));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(storedPoints(run)).isEqualTo(2000);
    }

    @Test
    void uploadsToUnknownOrForeignRunsAreNotFound() {
        String slug = createProject(ADMIN);
        String other = createProject(ADMIN);
        String foreignRun = createRun(other);
        var body = batch(null, points("loss", 0, 3, new Random(6)));
        assertThat(api.post(runPath(slug, UUID.randomUUID().toString()) + "/metrics", ADMIN, body).status())
                .isEqualTo(404);
        assertThat(api.post(runPath(slug, foreignRun) + "/metrics", ADMIN, body).status()).isEqualTo(404);
        assertThat(storedPoints(foreignRun)).isZero();
    }

    @Test
    void nonFiniteValuesRoundTripAsSentinels() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        upload(slug, run, null, List.of(point("x", 0, Double.NaN, 0), point("x", 1, Double.POSITIVE_INFINITY, 0),
                point("x", 2, Double.NEGATIVE_INFINITY, 0), point("x", 3, 1.5, 0)));
        var series = api.get(runPath(slug, run) + "/series?key=x", ADMIN);
        assertThat(series.json().get("points").get("y").toString())
                .isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\",1.5]");
        var summary = api.get(runPath(slug, run) + "/summary", ADMIN).json().get("x");
        assertThat(summary.get("n").asLong()).isEqualTo(4);
        assertThat(summary.get("min").asDouble()).isEqualTo(1.5);
        upload(slug, run, null, List.of(point("x", 9, Double.NaN, 0)));
        assertThat(api.get(runPath(slug, run) + "/summary", ADMIN).json().get("x").get("last").asString())
                .isEqualTo("NaN");
    }

    @Test
    void sameKeyAndStepTwiceKeepsBothPointsInUploadOrder() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        upload(slug, run, null, List.of(point("dup", 1, 1.0, null), point("dup", 1, 2.0, null)));
        assertThat(storedPoints(run)).isEqualTo(2);
        assertThat(api.get(runPath(slug, run) + "/series?key=dup", ADMIN).json().get("points").get("y").toString())
                .isEqualTo("[1.0,2.0]");
    }
}
