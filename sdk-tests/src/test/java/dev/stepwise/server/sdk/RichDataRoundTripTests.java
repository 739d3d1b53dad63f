package dev.stepwise.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.client.Graph;
import dev.stepwise.client.RetryPolicy;
import dev.stepwise.client.Run;
import dev.stepwise.client.Stepwise;
import dev.stepwise.client.testing.RecordingSleeper;
import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Rich items from the SDK through the real service and back: every kind stored and read back
 * value-identical (blobs byte-identical), exactly once through lost answers and spool replay.
 * Needs the media endpoints of {@code shared/API.md} ("Rich run data") on the server.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RichDataRoundTripTests extends ApiTest {

    @TempDir
    Path tmp;

    FaultInjectingProxy proxy;
    String slug;
    String key;

    @BeforeEach
    void setUp() throws IOException {
        proxy = new FaultInjectingProxy(port);
        slug = createProject(ADMIN);
        key = createKey(slug, "write").auth().key();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    private Stepwise.Builder client() {
        return Stepwise.builder().environment(Map.of()).baseUrl(proxy.url()).apiKey(key).project(slug)
                .spoolDir(tmp.resolve("spool")).shutdownHook(false).closeTimeout(Duration.ofSeconds(3))
                .flushInterval(Duration.ofMillis(20)).heartbeatInterval(Duration.ZERO).probeInterval(Duration.ZERO)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).build()).sleeper(new RecordingSleeper());
    }

    private List<JsonNode> items(UUID run) {
        List<JsonNode> out = new ArrayList<>();
        String cursor = null;
        do {
            Api.Response r = api.get(runPath(slug, run.toString()) + "/media?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor), ADMIN);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            r.json().get("items").forEach(out::add);
            cursor = r.json().get("nextCursor").isNull() ? null : r.json().get("nextCursor").asString();
        } while (cursor != null);
        return out;
    }

    private byte[] blob(String sha256) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.baseUrl() + "/api/v1/projects/" + slug + "/blobs/" + sha256))
                .header("Authorization", "Bearer " + key).build();
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        return r.body();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void everyKindRoundTripsValueIdenticalAndBlobsByteIdentical() throws Exception {
        byte[] gif = "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        UUID id;
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().name("rich").start();
            id = run.id();
            run.image("samples/digit", 1, new float[][] {{0f, 1f}, {0.5f, 0.25f}});
            run.histogram("weights/fc1", 1, new double[] {0, 1, 2, 3}, new long[] {4, 5, 6});
            run.text("samples/text", 1, "the model said hi");
            run.audio("speech", 1, new float[] {0f, 0.5f, -0.5f}, 16000);
            run.video("rollout", 1, gif, 10);
            run.pointCloud("lidar", 1, new float[][] {{1, 2, 3}, {4, 5, 6, 255, 0, 0}});
            run.graph("model", Graph.builder().node("x").node("fc", "fc1", "Linear", "[32, 10]").edge("x", "fc").build());
            run.confusionMatrix("val/cm", 1, new long[][] {{3, 1}, {0, 4}}, List.of("cat", "dog"));
            run.table("predictions", 1, List.of("id", "label"), List.of(List.of(1, "cat"), List.of(2, "dog")));
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(stepwise.stats().media().uploaded()).isEqualTo(9);
        }
        List<JsonNode> items = items(id);
        assertThat(items).extracting(i -> i.get("type").asString()).containsExactlyInAnyOrder("image", "histogram",
                "text", "audio", "video", "point_cloud", "graph", "confusion_matrix", "table");
        for (JsonNode item : items) {
            switch (item.get("type").asString()) {
                case "histogram" -> assertThat(item.get("data").get("counts").toString()).isEqualTo("[4,5,6]");
                case "text" -> assertThat(item.get("data").get("text").asString()).isEqualTo("the model said hi");
                case "confusion_matrix" -> {
                    assertThat(item.get("data").get("matrix").toString()).isEqualTo("[[3,1],[0,4]]");
                    assertThat(item.get("data").get("labels").toString()).isEqualTo("[\"cat\",\"dog\"]");
                }
                case "graph" -> assertThat(item.get("data").get("edges").toString()).contains("\"source\":\"x\"");
                case "video" -> assertThat(blob(item.get("blob").get("sha256").asString())).isEqualTo(gif);
                case "image", "audio" -> {
                    String sha = item.get("blob").get("sha256").asString();
                    assertThat(sha256(blob(sha))).isEqualTo(sha);
                }
                default -> { }
            }
        }
    }

    @Test
    void itemsWhoseAnswersAreLostOrThatWereSpooledAreStoredOnce() throws Exception {
        UUID id;
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().name("rich outage").start();
            id = run.id();
            for (int i = 0; i < 5; i++) {
                run.image("samples", i, new float[][] {{i / 5f}});
            }
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
            proxy.stop();
            for (int i = 5; i < 10; i++) {
                run.image("samples", i, new float[][] {{i / 10f}});
                run.text("notes", i, "away " + i);
            }
            assertThat(stepwise.flush(Duration.ofMillis(300))).isFalse();
            proxy.start();
            assertThat(stepwise.flush(Duration.ofSeconds(60))).isTrue();
            assertThat(stepwise.stats().media().replayed()).isEqualTo(stepwise.stats().media().spooled());
            assertThat(stepwise.stats().media().dropped()).isZero();
        }
        List<JsonNode> items = items(id);
        assertThat(items).hasSize(15);
        assertThat(items.stream().map(i -> i.get("key").asString() + "@" + i.get("step").asLong()).distinct())
                .hasSize(15);
    }
}
