package dev.stepwise.server.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArtifactTests extends ApiTest {

    @Test
    void artifactReferencesAreRecordedAsGivenAndListedInOrder() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        String path = runPath(slug, run) + "/artifacts";
        var first = api.post(path, ADMIN, Map.of("name", "checkpoint", "uri", "s3://bucket/ckpt.bin", "kind", "model",
                "description", "final weights", "sizeBytes", 1024, "sha256", "AB".repeat(32)));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("kind").asString()).isEqualTo("model");
        assertThat(first.json().get("sha256").asString()).isEqualTo("ab".repeat(32));
        var second = api.post(path, ADMIN, Map.of("name", "log", "uri", "file:///etc/passwd"));
        assertThat(second.json().get("kind").asString()).isEqualTo("file");
        assertThat(second.json().get("uri").asString()).isEqualTo("file:///etc/passwd");
        var list = api.get(path, ADMIN).json().get("artifacts");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("name").asString()).isEqualTo("checkpoint");
        assertThat(list.get(0).get("sizeBytes").asLong()).isEqualTo(1024);
        assertThat(list.get(1).get("sizeBytes").isNull()).isTrue();
    }

    @Test
    void invalidArtifactsAreRejected() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        String path = runPath(slug, run) + "/artifacts";
        assertThat(api.post(path, ADMIN, Map.of("name", "x")).status()).isEqualTo(400);
        assertThat(api.post(path, ADMIN, Map.of("name", "x", "uri", "u", "sizeBytes", -1)).status()).isEqualTo(400);
        assertThat(api.post(path, ADMIN, Map.of("name", "x", "uri", "u", "sha256", "zz")).status()).isEqualTo(400);
        assertThat(api.get(path, ADMIN).json().get("artifacts")).isEmpty();
        assertThat(api.post(runPath(slug, java.util.UUID.randomUUID().toString()) + "/artifacts", ADMIN,
                Map.of("name", "x", "uri", "u")).status()).isEqualTo(404);
    }

    @Test
    void aClientChosenIdMakesRepeatsSafe() throws Exception {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        String path = runPath(slug, run) + "/artifacts";
        String id = java.util.UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("id", id, "name", "checkpoint", "uri", "s3://bucket/ckpt.bin", "kind", "model");
        var first = api.post(path, ADMIN, body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("id").asString()).isEqualTo(id);
        // A retry (the answer was lost) and concurrent repeats store nothing new.
        assertThat(api.post(path, ADMIN, body).status()).isEqualTo(200);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            String id2 = java.util.UUID.randomUUID().toString();
            Map<String, Object> body2 = Map.of("id", id2, "name", "best", "uri", "s3://bucket/best.bin");
            var futures = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 4; i++) {
                futures.add(pool.submit(() -> api.post(path, ADMIN, body2).status()));
            }
            var statuses = new java.util.ArrayList<Integer>();
            for (var f : futures) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnly(200, 201).containsOnlyOnce(201);
        } finally {
            pool.shutdownNow();
        }
        var list = api.get(path, ADMIN).json().get("artifacts");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("id").asString()).isEqualTo(id);
        // The same id for something else is a conflict and changes nothing, in this run or another one.
        var changed = api.post(path, ADMIN, Map.of("id", id, "name", "checkpoint", "uri", "s3://bucket/other.bin"));
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.json().get("detail").asString()).contains(id);
        String otherRun = createRun(slug);
        assertThat(api.post(runPath(slug, otherRun) + "/artifacts", ADMIN, body).status()).isEqualTo(409);
        assertThat(api.get(path, ADMIN).json().get("artifacts").get(0).get("uri").asString())
                .isEqualTo("s3://bucket/ckpt.bin");
        assertThat(api.get(runPath(slug, otherRun) + "/artifacts", ADMIN).json().get("artifacts")).isEmpty();
        assertThat(api.post(path, ADMIN, Map.of("id", "not-a-uuid", "name", "x", "uri", "u")).status()).isEqualTo(400);
    }
}
