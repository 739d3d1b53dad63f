package dev.stepwise.server.metric;

import static dev.stepwise.server.support.TrackingFixtures.decodeAll;
import static dev.stepwise.server.support.TrackingFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /runs/{id}/points}: every raw point of a key in step order, paged by keyset cursors. */
class RawPointsTests extends ApiTest {

    private String pointsPath(String slug, String run, String query) {
        return runPath(slug, run) + "/points?" + query;
    }

    @Test
    void pagesThroughEveryRawPointInStepThenUploadOrder() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        // Uploaded out of step order, with one step logged twice and a point without an epoch.
        List<Map<String, Object>> points = new ArrayList<>();
        for (int step = 2499; step >= 0; step--) {
            points.add(point("train/loss", step, step / 10.0, step / 1000));
        }
        points.add(point("train/loss", 7, -1.0, null));
        points.add(point("other", 3, 9.0, 0));
        upload(slug, run, "b-1", points);

        List<Long> steps = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        List<JsonNode> epochs = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Api.Response response = api.get(pointsPath(slug, run, "key=train/loss&limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor)), ADMIN);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            JsonNode body = response.json();
            assertThat(body.get("key").asString()).isEqualTo("train/loss");
            JsonNode columns = body.get("points");
            assertThat(columns.get("step").size()).isLessThanOrEqualTo(1000)
                    .isEqualTo(columns.get("value").size()).isEqualTo(columns.get("epoch").size())
                    .isEqualTo(columns.get("time").size());
            columns.get("step").forEach(s -> steps.add(s.asLong()));
            values.addAll(decodeAll(columns.get("value")));
            columns.get("epoch").forEach(epochs::add);
            Instant.parse(columns.get("time").get(0).asString());
            cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asString();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(steps).hasSize(2501).isSorted();
        assertThat(steps.subList(0, 9)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 7L);
        assertThat(values.get(7)).isEqualTo(0.7);
        assertThat(values.get(8)).isEqualTo(-1.0);
        assertThat(epochs.get(8).isNull()).isTrue();
        assertThat(epochs.get(2500).asInt()).isEqualTo(2);
        assertThat(values.get(2500)).isEqualTo(249.9);
    }

    @Test
    void defaultLimitReturnsTenThousandPoints() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        List<Map<String, Object>> points = new ArrayList<>();
        for (int step = 0; step < 10_001; step++) {
            points.add(point("x", step, step, null));
        }
        upload(slug, run, null, points);
        JsonNode first = api.get(pointsPath(slug, run, "key=x"), ADMIN).json();
        assertThat(first.get("points").get("step").size()).isEqualTo(10_000);
        JsonNode second = api.get(pointsPath(slug, run, "key=x&cursor=" + first.get("nextCursor").asString()), ADMIN)
                .json();
        assertThat(second.get("points").get("step").toString()).isEqualTo("[10000]");
        assertThat(second.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void nonFiniteValuesTravelAsSentinels() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        upload(slug, run, null, List.of(point("x", 0, Double.NaN, 0), point("x", 1, Double.POSITIVE_INFINITY, 0),
                point("x", 2, Double.NEGATIVE_INFINITY, 0), point("x", 3, 1.5, 0)));
        JsonNode body = api.get(pointsPath(slug, run, "key=x"), ADMIN).json();
        assertThat(body.get("points").get("value").toString()).isEqualTo("[\"NaN\",\"Infinity\",\"-Infinity\",1.5]");
        assertThat(body.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void aKeyTheRunNeverLoggedIsAnEmptyPage() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        Api.Response response = api.get(pointsPath(slug, run, "key=never"), ADMIN);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("points").get("step").toString()).isEqualTo("[]");
        assertThat(response.json().get("nextCursor").isNull()).isTrue();
        assertThat(api.get(runPath(slug, "8d7c3a52-0000-4000-8000-000000000000") + "/points?key=x", ADMIN).status())
                .isEqualTo(404);
    }

    @Test
    void badLimitOrCursorIsAProblem() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        upload(slug, run, null, List.of(point("x", 0, 1, 0)));
        Map<String, String> cases = new HashMap<>();
        cases.put("key=x&limit=0", "limit");
        cases.put("key=x&limit=100001", "limit");
        cases.put("key=x&cursor=not-a-cursor", "cursor");
        cases.put("key=x&cursor=cDE6eDp5", "cursor");
        cases.forEach((query, field) -> {
            Api.Response response = api.get(pointsPath(slug, run, query), ADMIN);
            assertThat(response.status()).as(query + " → " + response).isEqualTo(400);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
            assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
        });
        assertThat(api.get(pointsPath(slug, run, "key=x&limit=ten"), ADMIN).status()).isEqualTo(400);
        assertThat(api.get(runPath(slug, run) + "/points", ADMIN).status()).isEqualTo(400);
        assertThat(api.get(pointsPath(slug, run, "key=x&limit=100000"), ADMIN).status()).isEqualTo(200);
    }

    @Test
    void theOpenApiDocumentDescribesTheEndpoint() {
        JsonNode doc = api.get("/v3/api-docs", ADMIN).json();
        JsonNode operation = doc.get("paths").get("/api/v1/projects/{slug}/runs/{id}/points").get("get");
        assertThat(operation.get("summary").asString()).contains("raw point");
        List<String> parameters = new ArrayList<>();
        operation.get("parameters").forEach(p -> parameters.add(p.get("name").asString()));
        assertThat(parameters).contains("key", "limit", "cursor");
    }
}
