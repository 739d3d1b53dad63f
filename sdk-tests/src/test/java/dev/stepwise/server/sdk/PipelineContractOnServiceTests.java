package dev.stepwise.server.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.client.RetryPolicy;
import dev.stepwise.client.Stepwise;
import dev.stepwise.client.testing.PipelineContract;
import dev.stepwise.client.testing.RecordingSleeper;
import dev.stepwise.server.sdk.FaultInjectingProxy.Fault;
import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The pipeline contract against the real service and PostgreSQL over HTTP, behind a
 * {@link FaultInjectingProxy} that takes the service off the network, loses answers and records
 * the batch id of every metric upload. A revoked key stands for writes refused for good.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PipelineContractOnServiceTests extends PipelineContract {

    @LocalServerPort
    int port;

    @TempDir
    Path tmp;

    Api api;
    FaultInjectingProxy proxy;
    String slug;
    String keyId;
    String key;

    @BeforeEach
    void setUp() throws IOException {
        api = new Api(port);
        proxy = new FaultInjectingProxy(port);
        slug = Api.unique("p");
        Api.Response project = api.post("/api/v1/projects", ApiTest.ADMIN, Map.of("slug", slug, "name", slug));
        assertThat(project.status()).as(project.toString()).isEqualTo(201);
        Api.Response created = api.post("/api/v1/projects/" + slug + "/api-keys", ApiTest.ADMIN,
                Map.of("name", "contract", "scope", "write"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        keyId = created.json().get("id").asString();
        key = created.json().get("key").asString();
    }

    @AfterEach
    void tearDown() {
        proxy.close();
    }

    private JsonNode get(String path) {
        Api.Response r = api.get("/api/v1/projects/" + slug + "/runs/" + path, ApiTest.ADMIN);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Override
    protected Stepwise.Builder client() {
        return Stepwise.builder()
                .environment(Map.of())
                .baseUrl(proxy.url())
                .apiKey(key)
                .project(slug)
                .spoolDir(tmp.resolve("spool"))
                .shutdownHook(false)
                .closeTimeout(Duration.ofSeconds(3))
                .flushInterval(Duration.ofMillis(20))
                .heartbeatInterval(Duration.ofMillis(300))
                .probeInterval(Duration.ZERO)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100)).build())
                .sleeper(new RecordingSleeper());
    }

    @Override
    protected void serverDown() {
        proxy.stop();
    }

    @Override
    protected void serverUp() throws IOException {
        proxy.start();
    }

    @Override
    protected void loseAnswersToNextMetricUploads(int uploads) {
        for (int i = 0; i < uploads; i++) {
            proxy.failMetrics(new Fault(503, null, true));
        }
    }

    @Override
    protected List<String> metricBatchIds(UUID run) {
        return proxy.metricBatchIds(run.toString());
    }

    @Override
    protected List<String> storedPoints(UUID run, String key) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = get(run + "/points?key=" + key + "&limit=100000"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            JsonNode steps = page.get("points").get("step");
            JsonNode values = page.get("points").get("value");
            for (int i = 0; i < steps.size(); i++) {
                out.add(steps.get(i).asLong() + "=" + values.get(i).asDouble());
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        return out;
    }

    @Override
    protected Map<String, String> storedConfig(UUID run) {
        Map<String, String> out = new LinkedHashMap<>();
        get(run.toString()).get("config").properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        return out;
    }

    @Override
    protected void refuseWrites() {
        assertThat(api.delete("/api/v1/projects/" + slug + "/api-keys/" + keyId, ApiTest.ADMIN).status())
                .isEqualTo(204);
    }
}
