package dev.stepwise.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.Api.Basic;
import dev.stepwise.server.support.ApiTest;
import dev.stepwise.server.support.TrackingFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * Drives the npm package {@code mlflow} 2.0.7 (a third-party MLflow client for Node.js, installed
 * with {@code npm ci} and run with the machine's Node) against the real service, then checks the
 * same data through the native API.
 */
class MlflowNpmClientTests extends ApiTest {

    private static final Path SOURCE = Path.of("src/test/mlflow-client");
    private static final Path WORK = Path.of("target/mlflow-client");

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void npmMlflowClientLogsRunsThatTheNativeApiShows() throws Exception {
        Basic person = createUser("mlflow");
        String keyProject = createProject(person);
        String token = createKey(keyProject, "write").auth().key();
        String experimentName = "NPM client " + Api.unique("e");

        install();
        Process node = command(List.of("node", "script.js"), Map.of(
                "MLFLOW_TRACKING_URI", api.baseUrl(),
                "MLFLOW_TRACKING_USERNAME", person.username(),
                "MLFLOW_TRACKING_PASSWORD", person.password(),
                "MLFLOW_TRACKING_TOKEN", token,
                "TOKEN_EXPERIMENT_ID", keyProject,
                "EXPERIMENT_NAME", experimentName));
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(node.exitValue()).as(output).isZero();
        String resultLine = output.lines().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> b).orElseThrow();
        JsonNode result = Api.JSON.readTree(resultLine.substring(7));
        String slug = result.get("experimentId").asString();
        String runId = result.get("runId").asString();

        Api.Response project = api.get("/api/v1/projects/" + slug, person);
        assertThat(project.status()).isEqualTo(200);
        assertThat(project.json().get("name").asString()).isEqualTo(experimentName);
        assertThat(project.json().get("role").asString()).isEqualTo("OWNER");

        JsonNode run = api.get(runPath(slug, runId), person).json();
        assertThat(run.get("name").asString()).isEqualTo("npm-baseline");
        assertThat(run.get("status").asString()).isEqualTo("FINISHED");
        assertThat(run.get("endedAt").isNull()).isFalse();
        assertThat(run.get("createdBy").asString()).isEqualTo(person.username());
        assertThat(run.get("config").get("lr").asString()).isEqualTo("0.01");
        assertThat(run.get("config").get("batch_size").asString()).isEqualTo("32");
        List<String> tags = new ArrayList<>();
        run.get("tags").forEach(t -> tags.add(t.asString()));
        assertThat(tags).containsExactlyInAnyOrder("team=vision", "stage=train");
        JsonNode loss = run.get("summary").get("loss");
        assertThat(loss.get("n").asLong()).isEqualTo(5);
        assertThat(loss.get("last").asDouble()).isEqualTo(0.75);
        assertThat(loss.get("max").asDouble()).isEqualTo(2.5);
        assertThat(run.get("summary").get("acc").get("n").asLong()).isEqualTo(10);

        JsonNode series = api.get(runPath(slug, runId) + "/series?key=loss&x=time", person).json();
        assertThat(TrackingFixtures.decodeAll(series.get("points").get("y"))).containsExactly(2.5, 1.75, 1.2, 0.9, 0.75);
        assertThat(series.get("points").get("x").get(0).asLong()).isEqualTo(1_700_000_000_000L);
        JsonNode metrics = api.get(runPath(slug, runId) + "/metrics", person).json().get("metrics");
        JsonNode acc = null;
        for (JsonNode m : metrics) {
            if (m.get("key").asString().equals("acc")) {
                acc = m;
            }
        }
        assertThat(acc).isNotNull();
        assertThat(acc.get("nonFinite").asLong()).isEqualTo(1);

        JsonNode listed = api.get("/api/v1/projects/" + slug + "/runs?filter=config.lr%3D%220.01%22", person).json();
        assertThat(listed.get("runs")).hasSize(1);
        assertThat(listed.get("runs").get(0).get("id").asString()).isEqualTo(runId);

        String keyRun = result.get("keyRun").asString();
        JsonNode keyRunRead = api.get(runPath(keyProject, keyRun), person).json();
        assertThat(keyRunRead.get("createdBy").asString()).startsWith("key:");
        assertThat(keyRunRead.get("summary").get("loss").get("last").asString()).isEqualTo("Infinity");
    }

    private void install() throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "script.js")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Process npm = command(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of());
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(npm.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(npm.exitValue()).as(output).isZero();
    }

    private static Process command(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        return builder.start();
    }
}
