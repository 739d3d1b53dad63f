package dev.stepwise.server.run;

import static dev.stepwise.server.support.TrackingFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/** {@code GET /runs/aggregate}: per-group statistics of a metric across runs, on a real PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunAggregateTests extends ApiTest {

    String slug;

    @BeforeAll
    void createRuns() {
        api = new Api(port);
        slug = createProject(ADMIN);
        // lr 0.1 / hidden 32: three seeds; lr 0.1 / hidden 64: two seeds (one with a NaN last value); lr 0.01: one
        run("a", Map.of("lr", 0.1, "hidden", 32, "seed", 1), 0.70, "tagged");
        run("b", Map.of("lr", 0.1, "hidden", 32, "seed", 2), 0.80, "tagged");
        run("c", Map.of("lr", 0.1, "hidden", 32, "seed", 3), 0.90, "tagged");
        run("d", Map.of("lr", 0.1, "hidden", 64, "seed", 1), 0.60, null);
        run("e", Map.of("lr", 0.1, "hidden", 64, "seed", 2), Double.NaN, null);
        run("f", Map.of("lr", 0.01, "hidden", 32, "seed", 1), 0.50, null);
        run("g", Map.of("lr", 0.01, "seed", 1), null, null);
    }

    private void run(String name, Map<String, Object> config, Double acc, String tag) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "group", "sweep/mnist/mlp/adam", "config", config));
        if (tag != null) {
            body.put("tags", List.of(tag));
        }
        String id = createRun(slug, body);
        if (acc != null) {
            upload(slug, id, null, List.of(point("val/acc", 1, 0.1, 0), point("val/acc", 2, acc, 1)));
        }
    }

    private Api.Response aggregate(String query, Api.Auth auth) {
        return api.get("/api/v1/projects/" + slug + "/runs/aggregate?" + query, auth);
    }

    private JsonNode groups(String query) {
        Api.Response r = aggregate(query, ADMIN);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("groups");
    }

    @Test
    void groupsRunsByConfigKeysAndReducesAMetricStatisticInSql() {
        JsonNode groups = groups("by=config.lr&by=config.hidden&metric=val/acc.last");

        assertThat(groups).hasSize(4);
        // ordered by the keys' text: "0.01" < "0.1", "32" < "64", missing last
        JsonNode g0132 = groups.get(2);
        assertThat(g0132.get("key").get("config.lr").asDouble()).isEqualTo(0.1);
        assertThat(g0132.get("key").get("config.hidden").asInt()).isEqualTo(32);
        assertThat(g0132.get("runs").asLong()).isEqualTo(3);
        assertThat(g0132.get("n").asLong()).isEqualTo(3);
        assertThat(g0132.get("mean").asDouble()).isCloseTo(0.8, within(1e-12));
        double std = Math.sqrt(((0.1 * 0.1) + 0 + (0.1 * 0.1)) / 3);
        assertThat(g0132.get("std").asDouble()).isCloseTo(std, within(1e-12));
        assertThat(g0132.get("min").asDouble()).isEqualTo(0.7);
        assertThat(g0132.get("max").asDouble()).isEqualTo(0.9);

        JsonNode g0164 = groups.get(3);
        assertThat(g0164.get("runs").asLong()).isEqualTo(2);
        assertThat(g0164.get("n").asLong()).isEqualTo(1); // the NaN is not a value
        assertThat(g0164.get("mean").asDouble()).isEqualTo(0.6);

        JsonNode noHidden = groups.get(1);
        assertThat(noHidden.get("key").get("config.hidden").isNull()).isTrue();
        assertThat(noHidden.get("n").asLong()).isZero();
        assertThat(noHidden.get("mean").isNull()).isTrue();
        assertThat(aggregate("by=config.lr&metric=val/acc.last", ADMIN).json().get("truncated").asBoolean()).isFalse();
    }

    @Test
    void theRunListFiltersApply() {
        JsonNode tagged = groups("by=config.lr&metric=val/acc.max&tag=tagged");
        assertThat(tagged).hasSize(1);
        assertThat(tagged.get(0).get("runs").asLong()).isEqualTo(3);

        JsonNode filtered = groups("by=group&metric=val/acc.max&filter="
                + URLEncoder.encode("config.seed = 1", StandardCharsets.UTF_8));
        assertThat(filtered).hasSize(1);
        assertThat(filtered.get(0).get("key").get("group").asString()).isEqualTo("sweep/mnist/mlp/adam");
        assertThat(filtered.get(0).get("runs").asLong()).isEqualTo(4);
        assertThat(filtered.get(0).get("mean").asDouble()).isCloseTo((0.7 + 0.6 + 0.5) / 3, within(1e-12));
    }

    @Test
    void badParametersAreProblemsNot500s() {
        assertThat(aggregate("metric=val/acc.max", ADMIN).status()).isEqualTo(400);
        assertThat(aggregate("by=config.lr", ADMIN).status()).isEqualTo(400);
        assertThat(aggregate("by=config.lr&metric=val/acc.median", ADMIN).status()).isEqualTo(400);
        Api.Response injected = aggregate("by=" + URLEncoder.encode("config.lr'); drop table runs; --", StandardCharsets.UTF_8)
                + "&metric=" + URLEncoder.encode("x'.max", StandardCharsets.UTF_8), ADMIN);
        assertThat(injected.status()).isEqualTo(200);
        assertThat(injected.json().get("groups").get(0).get("runs").asLong()).isEqualTo(7);
        assertThat(aggregate("by=secret&metric=val/acc.max", ADMIN).status()).isEqualTo(400);
        assertThat(aggregate("by=a&by=b&by=c&by=d&by=e&by=f&metric=val/acc.max", ADMIN).json().get("status").asInt())
                .isEqualTo(400);
    }

    @Test
    void readersMayAggregateOutsidersMayNotSeeTheProject() {
        Api.Basic reader = createUser("reader");
        addMember(slug, reader.username(), "READER");
        assertThat(aggregate("by=config.lr&metric=val/acc.max", reader).status()).isEqualTo(200);
        assertThat(aggregate("by=config.lr&metric=val/acc.max", createKey(slug, "read").auth()).status()).isEqualTo(200);
        assertThat(aggregate("by=config.lr&metric=val/acc.max", createUser("outsider")).status()).isEqualTo(404);
        assertThat(aggregate("by=config.lr&metric=val/acc.max", Api.ANONYMOUS).status()).isEqualTo(401);
    }
}
