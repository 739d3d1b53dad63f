package dev.stepwise.server.media;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

class MediaApiTests extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BlobCollector collector;

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    Api.Response putBlob(String slug, String sha, String type, byte[] bytes) {
        return api.send("PUT", "/api/v1/projects/" + slug + "/blobs/" + sha, ADMIN, bytes, Map.of("Content-Type", type));
    }

    HttpResponse<byte[]> getBytes(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString((ADMIN.username() + ":" + ADMIN.password())
                        .getBytes(StandardCharsets.UTF_8)));
        headers.forEach(r::header);
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    String stored(String slug, String type, byte[] bytes) throws Exception {
        String sha = sha256(bytes);
        assertThat(putBlob(slug, sha, type, bytes).status()).isEqualTo(201);
        return sha;
    }

    @Test
    void everyItemTypeRoundTripsByteAndValueIdentical() throws Exception {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        byte[] png = randomBytes(3 * 1024 * 1024 + 17, 1); // spans several PostgreSQL chunks
        byte[] wav = randomBytes(5000, 2);
        byte[] mp4 = randomBytes(7000, 3);
        String pngSha = stored(slug, "image/png", png);
        String wavSha = stored(slug, "audio/wav", wav);
        String mp4Sha = stored(slug, "video/mp4", mp4);
        List<Map<String, Object>> items = List.of(
                Map.of("key", "samples/img", "step", 1, "epoch", 0, "type", "image", "blob", pngSha,
                        "data", Map.of("width", 32, "height", 32), "caption", "a digit"),
                Map.of("key", "speech", "step", 2, "type", "audio", "blob", wavSha,
                        "data", Map.of("sampleRate", 16000, "durationS", 0.25)),
                Map.of("key", "rollout", "step", 3, "type", "video", "blob", mp4Sha, "data", Map.of("fps", 30)),
                Map.of("key", "text", "step", 4, "type", "text", "data", Map.of("text", "the model said <b>hi</b> ✓")),
                Map.of("key", "weights", "step", 5, "type", "histogram",
                        "data", Map.of("edges", List.of(-1.5, 0.0, 0.25, 2.0), "counts", List.of(3, 0, 7))),
                Map.of("key", "lidar", "step", 6, "type", "point_cloud",
                        "data", Map.of("points", List.of(List.of(1.0, 2.0, 3.5), List.of(0, 0, 0, 255, 0, 10)))),
                Map.of("key", "model", "step", 0, "type", "graph", "data", Map.of(
                        "nodes", List.of(Map.of("id", "x", "op", "input", "shape", List.of(-1, 784)),
                                Map.of("id", "fc1", "label", "Linear", "op", "linear")),
                        "edges", List.of(Map.of("source", "x", "target", "fc1")))),
                Map.of("key", "val/cm", "step", 7, "type", "confusion_matrix",
                        "data", Map.of("labels", List.of("cat", "dog"), "matrix", List.of(List.of(5, 1), List.of(2, 9)))),
                Map.of("key", "predictions", "step", 8, "type", "table", "data", Map.of("columns", List.of("id", "p", "ok"),
                        "rows", List.of(List.of(1, 0.75, true), java.util.Arrays.asList("two", null, false)))));
        var upload = api.post(runPath(slug, run) + "/media", ADMIN, Map.of("batchId", "m-1", "items", items));
        assertThat(upload.status()).as(upload.toString()).isEqualTo(200);
        assertThat(upload.json().get("accepted").asInt()).isEqualTo(9);
        assertThat(upload.json().get("duplicate").asBoolean()).isFalse();

        JsonNode listed = api.get(runPath(slug, run) + "/media?limit=1000", ADMIN).json();
        assertThat(listed.get("items")).hasSize(9);
        assertThat(listed.get("nextCursor").isNull()).isTrue();
        for (Map<String, Object> sent : items) {
            JsonNode got = find(listed.get("items"), (String) sent.get("key"));
            assertThat(got.get("type").asString()).isEqualTo(sent.get("type"));
            assertThat(got.get("step").asLong()).isEqualTo(((Number) sent.get("step")).longValue());
            assertThat(got.get("data")).isEqualTo(Api.JSON.valueToTree(sent.get("data")));
            assertThat(got.get("time").asString()).endsWith("Z");
        }
        JsonNode image = find(listed.get("items"), "samples/img");
        assertThat(image.get("caption").asString()).isEqualTo("a digit");
        assertThat(image.get("epoch").asInt()).isZero();
        assertThat(image.get("blob").get("contentType").asString()).isEqualTo("image/png");
        assertThat(image.get("blob").get("sizeBytes").asLong()).isEqualTo(png.length);
        HttpResponse<byte[]> downloaded = getBytes(image.get("blob").get("url").asString(), Map.of());
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(downloaded.body()).isEqualTo(png);
        assertThat(getBytes(find(listed.get("items"), "speech").get("blob").get("url").asString(), Map.of()).body())
                .isEqualTo(wav);
        assertThat(getBytes(find(listed.get("items"), "rollout").get("blob").get("url").asString(), Map.of()).body())
                .isEqualTo(mp4);

        JsonNode keys = api.get(runPath(slug, run) + "/media/keys", ADMIN).json().get("keys");
        assertThat(keys).hasSize(9);
        assertThat(keys.get(0).get("key").asString()).isEqualTo("lidar");
        assertThat(keys.get(0).get("n").asLong()).isEqualTo(1);
    }

    private static JsonNode find(JsonNode items, String key) {
        for (JsonNode item : items) {
            if (item.get("key").asString().equals(key)) {
                return item;
            }
        }
        throw new AssertionError("no item with key " + key);
    }

    @Test
    void blobsAreServedSafelyWithRangesAndCaching() throws Exception {
        String slug = createProject(ADMIN);
        byte[] bytes = randomBytes(2 * 1024 * 1024 + 5, 4);
        String sha = stored(slug, "image/jpeg", bytes);
        assertThat(putBlob(slug, sha, "image/jpeg", bytes).status()).isEqualTo(200);
        String path = "/api/v1/projects/" + slug + "/blobs/" + sha;
        HttpResponse<byte[]> full = getBytes(path, Map.of("Accept", "image/*"));
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.headers().firstValue("Content-Type")).hasValue("image/jpeg");
        assertThat(full.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(full.headers().firstValue("Content-Security-Policy")).hasValue("sandbox");
        assertThat(full.headers().firstValue("Cache-Control")).hasValue("private, max-age=31536000, immutable");
        assertThat(full.headers().firstValue("ETag")).hasValue("\"" + sha + "\"");
        HttpResponse<byte[]> part = getBytes(path, Map.of("Range", "bytes=1048570-1048580"));
        assertThat(part.statusCode()).isEqualTo(206);
        assertThat(part.headers().firstValue("Content-Range")).hasValue("bytes 1048570-1048580/" + bytes.length);
        assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, 1048570, 1048581));
        HttpResponse<byte[]> tail = getBytes(path, Map.of("Range", "bytes=-3"));
        assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(bytes, bytes.length - 3, bytes.length));
        assertThat(getBytes(path, Map.of("Range", "bytes=" + bytes.length + "-")).statusCode()).isEqualTo(416);
        assertThat(getBytes(path, Map.of("If-None-Match", "\"" + sha + "\"")).statusCode()).isEqualTo(304);
    }

    @Test
    void badBlobsAreRefusedAndStoreNothing() throws Exception {
        String slug = createProject(ADMIN);
        byte[] bytes = "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(StandardCharsets.UTF_8);
        String sha = sha256(bytes);
        assertThat(putBlob(slug, sha, "image/svg+xml", bytes).status()).isEqualTo(415);
        assertThat(putBlob(slug, sha, "text/html", bytes).status()).isEqualTo(415);
        assertThat(putBlob(slug, sha, "application/x-unknown", bytes).status()).isEqualTo(415);
        var mismatch = putBlob(slug, sha256("other".getBytes(StandardCharsets.UTF_8)), "image/png", bytes);
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.header("Content-Type")).contains("application/problem+json");
        assertThat(putBlob(slug, "not-a-hash", "image/png", bytes).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/projects/" + slug + "/blobs/" + sha, ADMIN).status()).isEqualTo(404);
        assertThat(jdbc.queryForObject("select count(*) from blobs b join projects p on p.id = b.project_id "
                + "where p.slug = ?", Long.class, slug)).isZero();
        // An artifact file of any type is accepted when uploaded as one, and only ever served as an attachment.
        assertThat(api.send("PUT", "/api/v1/projects/" + slug + "/blobs/" + sha + "?purpose=artifact", ADMIN, bytes,
                Map.of("Content-Type", "image/svg+xml")).status()).isEqualTo(201);
        HttpResponse<byte[]> svg = getBytes("/api/v1/projects/" + slug + "/blobs/" + sha, Map.of());
        assertThat(svg.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("attachment"));
    }

    @Test
    void blobsOverTheLimitAre413() throws Exception {
        String slug = createProject(ADMIN);
        byte[] big = new byte[64 * 1024 * 1024 + 1];
        var response = putBlob(slug, sha256(big), "video/mp4", big);
        assertThat(response.status()).isEqualTo(413);
    }

    @Test
    void aBlobOfAnotherProjectIsNotFound() throws Exception {
        String mine = createProject(ADMIN);
        String theirs = createProject(ADMIN);
        byte[] bytes = randomBytes(100, 5);
        String sha = stored(theirs, "image/png", bytes);
        assertThat(api.get("/api/v1/projects/" + mine + "/blobs/" + sha, ADMIN).status()).isEqualTo(404);
        String run = createRun(mine);
        var upload = api.post(runPath(mine, run) + "/media", ADMIN, Map.of("items", List.of(
                Map.of("key", "img", "step", 0, "type", "image", "blob", sha))));
        assertThat(upload.status()).isEqualTo(400);
        assertThat(upload.json().get("errors").get(0).get("field").asString()).isEqualTo("items[0].blob");
        // The same bytes uploaded to this project answer 201 like new ones.
        assertThat(putBlob(mine, sha, "image/png", bytes).status()).isEqualTo(201);
    }

    @Test
    void aBatchIsStoredExactlyOnce() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        Map<String, Object> body = Map.of("batchId", "b-7", "items", List.of(
                Map.of("key", "t", "step", 1, "type", "text", "data", Map.of("text", "one")),
                Map.of("key", "t", "step", 2, "type", "text", "data", Map.of("text", "two"))));
        assertThat(api.post(runPath(slug, run) + "/media", ADMIN, body).json().get("accepted").asInt()).isEqualTo(2);
        var again = api.post(runPath(slug, run) + "/media", ADMIN, body).json();
        assertThat(again.get("accepted").asInt()).isZero();
        assertThat(again.get("duplicate").asBoolean()).isTrue();
        assertThat(api.get(runPath(slug, run) + "/media", ADMIN).json().get("items")).hasSize(2);
        assertThat(api.get(runPath(slug, run) + "/media/keys", ADMIN).json().get("keys").get(0).get("n").asLong())
                .isEqualTo(2);
    }

    @Test
    void oneBadItemRejectsTheWholeBatchWithFieldProblems() throws Exception {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        String png = stored(slug, "image/png", randomBytes(10, 6));
        List<Map<String, Object>> bad = List.of(
                Map.of("key", "ok", "step", 1, "type", "text", "data", Map.of("text", "fine")),
                Map.of("key", "h", "step", 1, "type", "histogram", "data", Map.of("edges", List.of(0, 1), "counts",
                        List.of(1, 2))),
                Map.of("key", "cm", "step", 1, "type", "confusion_matrix", "data", Map.of("matrix", List.of(List.of(1, 2)))),
                Map.of("key", "v", "step", 1, "type", "audio", "blob", png),
                Map.of("key", "t", "step", -1, "type", "text", "data", Map.of("text", "x")),
                Map.of("key", "x", "step", 1, "type", "sound", "data", Map.of()),
                Map.of("key", "tb", "step", 1, "type", "table", "data", Map.of("columns", List.of("a"),
                        "rows", List.of(List.of(1, 2)))),
                Map.of("key", "pc", "step", 1, "type", "point_cloud", "data", Map.of("points",
                        List.of(List.of(0, 0, 0, 300, 0, 0)))),
                Map.of("key", "g", "step", 1, "type", "graph", "data", Map.of("nodes", List.of(Map.of("id", "a")),
                        "edges", List.of(Map.of("source", "a", "target", "b")))),
                Map.of("key", "nul", "step", 1, "type", "text", "data", Map.of("text", "a\u0000b")));
        var response = api.post(runPath(slug, run) + "/media", ADMIN, Map.of("items", bad));
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        List<String> fields = response.json().get("errors").valueStream().map(e -> e.get("field").asString()).toList();
        assertThat(fields).contains("items[1].data.edges", "items[2].data.matrix[0]", "items[4].step", "items[5].type",
                "items[6].data.rows[0]", "items[7].data.points[0][3]", "items[8].data.edges[0].target",
                "items[9].data.text");
        assertThat(api.get(runPath(slug, run) + "/media", ADMIN).json().get("items")).isEmpty();
        // The blob check comes after the item checks: a fitting type is required.
        var wrongType = api.post(runPath(slug, run) + "/media", ADMIN, Map.of("items", List.of(
                Map.of("key", "v", "step", 1, "type", "audio", "blob", png))));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("errors").get(0).get("message").asString()).contains("image/png");
        var tooMany = api.post(runPath(slug, run) + "/media", ADMIN, Map.of("items", java.util.Collections.nCopies(1001,
                Map.of("key", "t", "step", 1, "type", "text", "data", Map.of("text", "x")))));
        assertThat(tooMany.status()).isEqualTo(413);
        assertThat(api.post(runPath(slug, run) + "/media", ADMIN, "{\"items\": [").status()).isEqualTo(400);
        assertThat(api.post(runPath(slug, run) + "/media", ADMIN, Map.of("items", List.of(), "extra", 1)).status())
                .isEqualTo(400);
        assertThat(api.get(runPath(slug, run) + "/media?cursor=zzz", ADMIN).status()).isEqualTo(400);
        assertThat(api.get(runPath(slug, run) + "/media?limit=0", ADMIN).status()).isEqualTo(400);
    }

    @Test
    void listingFiltersAndPagesInStepOrder() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        List<Map<String, Object>> items = new java.util.ArrayList<>();
        for (int step = 9; step >= 0; step--) {
            items.add(Map.of("key", "a", "step", step, "type", "text", "data", Map.of("text", "a" + step)));
        }
        items.add(Map.of("key", "b", "step", 3, "type", "text", "data", Map.of("text", "b")));
        api.post(runPath(slug, run) + "/media", ADMIN, Map.of("items", items));
        List<Long> steps = new java.util.ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get(runPath(slug, run) + "/media?key=a&fromStep=2&toStep=8&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), ADMIN).json();
            page.get("items").forEach(i -> steps.add(i.get("step").asLong()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(steps).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(api.get(runPath(slug, run) + "/media?type=image", ADMIN).json().get("items")).isEmpty();
        JsonNode keyA = api.get(runPath(slug, run) + "/media/keys", ADMIN).json().get("keys").get(0);
        assertThat(keyA.get("firstStep").asLong()).isZero();
        assertThat(keyA.get("lastStep").asLong()).isEqualTo(9);
    }

    @Test
    void deletingARunDeletesItsItemsAndTheCollectorRemovesOrphanedBlobs() throws Exception {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        String used = stored(slug, "image/png", randomBytes(50, 7));
        String fresh = stored(slug, "image/png", randomBytes(50, 8));
        String kept = stored(slug, "image/png", randomBytes(50, 9));
        String keeper = createRun(slug);
        api.post(runPath(slug, run) + "/media", ADMIN, Map.of("items", List.of(
                Map.of("key", "img", "step", 0, "type", "image", "blob", used))));
        api.post(runPath(slug, keeper) + "/media", ADMIN, Map.of("items", List.of(
                Map.of("key", "img", "step", 0, "type", "image", "blob", kept))));
        assertThat(api.delete(runPath(slug, run), ADMIN).status()).isEqualTo(204);
        assertThat(jdbc.queryForObject("select count(*) from media_items where run_id = ?::uuid", Long.class, run))
                .isZero();
        // Within the grace period nothing goes; afterwards only the blob nothing names any more.
        collector.collect();
        assertThat(api.get("/api/v1/projects/" + slug + "/blobs/" + used, ADMIN).status()).isEqualTo(200);
        jdbc.update("update blobs set last_uploaded_at = now() - interval '2 hours' where sha256 in (?, ?)", used, kept);
        collector.collect();
        assertThat(api.get("/api/v1/projects/" + slug + "/blobs/" + used, ADMIN).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/projects/" + slug + "/blobs/" + kept, ADMIN).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + slug + "/blobs/" + fresh, ADMIN).status()).isEqualTo(200);
        // Uploading it again brings it back.
        assertThat(putBlob(slug, used, "image/png", randomBytes(50, 7)).status()).isEqualTo(201);
    }

    @Test
    void anArtifactNamingABlobIsDownloadableAsAnAttachment() throws Exception {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        byte[] weights = randomBytes(4096, 10);
        String sha = sha256(weights);
        assertThat(api.send("PUT", "/api/v1/projects/" + slug + "/blobs/" + sha + "?purpose=artifact", ADMIN, weights,
                Map.of("Content-Type", "application/octet-stream")).status()).isEqualTo(201);
        var created = api.post(runPath(slug, run) + "/artifacts", ADMIN, Map.of("name", "model.bin", "blob", sha,
                "kind", "model"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("sizeBytes").asLong()).isEqualTo(4096);
        assertThat(created.json().get("sha256").asString()).isEqualTo(sha);
        HttpResponse<byte[]> file = getBytes(runPath(slug, run) + "/artifacts/" + created.json().get("id").asString()
                + "/file", Map.of("Accept", "application/octet-stream"));
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.body()).isEqualTo(weights);
        assertThat(file.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("attachment").contains("model.bin"));
        assertThat(api.post(runPath(slug, run) + "/artifacts", ADMIN, Map.of("name", "x", "blob", "ab".repeat(32)))
                .status()).isEqualTo(400);
        // A blob an artifact names is kept by the collector.
        jdbc.update("update blobs set last_uploaded_at = now() - interval '2 hours' where sha256 = ?", sha);
        collector.collect();
        assertThat(getBytes("/api/v1/projects/" + slug + "/blobs/" + sha, Map.of()).statusCode()).isEqualTo(200);
    }
}
