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
}
