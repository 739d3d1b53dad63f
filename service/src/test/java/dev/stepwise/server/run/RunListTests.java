package dev.stepwise.server.run;

import static dev.stepwise.server.support.TrackingFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunListTests extends ApiTest {

    String slug;

    @BeforeAll
    void createRuns() {
        api = new Api(port);
        slug = createProject(ADMIN);
        run("alpha", "sweep", List.of("cnn", "fast"), Map.of("lr", 0.1, "opt", "adam", "seed", 1), 0.71, "FINISHED");
        run("beta", "sweep", List.of("cnn"), Map.of("lr", 0.01, "opt", "sgd", "seed", 2), 0.93, "RUNNING");
        run("gamma", "other", List.of("fast"), Map.of("lr", 0.001, "opt", "adam", "seed", 3), 0.85, "FAILED");
        run("delta", null, List.of(), Map.of("lr", "1e-4", "opt", "sgd"), null, "RUNNING");
        run("alpha-2", "sweep", List.of("cnn", "fast"), Map.of("lr", 0.2, "opt", "adamw"), 0.5, "RUNNING");
    }

    private void run(String name, String group, List<String> tags, Map<String, Object> config, Double acc,
            String status) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("name", name, "tags", tags, "config", config));
        if (group != null) {
            body.put("group", group);
        }
        String id = createRun(slug, body);
        if (acc != null) {
            upload(slug, id, null, List.of(point("val/acc", 1, acc / 2, null), point("val/acc", 2, acc, null)));
        }
        if (!status.equals("RUNNING")) {
            api.patch(runPath(slug, id), ADMIN, Map.of("status", status));
        }
    }

    private List<String> names(String query) {
        Api.Response response = api.get("/api/v1/projects/" + slug + "/runs?" + query, ADMIN);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        response.json().get("runs").forEach(r -> names.add(r.get("name").asString()));
        return names;
    }

    private static String filter(String expression) {
        return "filter=" + URLEncoder.encode(expression, StandardCharsets.UTF_8);
    }

    @Test
    void defaultOrderIsNewestFirst() {
        assertThat(names("")).containsExactly("alpha-2", "delta", "gamma", "beta", "alpha");
    }

    @Test
    void configNumbersCompareNumericallyAndStringsLexically() {
        assertThat(names(filter("config.lr > 0.005") + "&sort=config.lr")).containsExactly("beta", "alpha", "alpha-2");
        assertThat(names(filter("config.lr <= 0.01") + "&sort=-config.lr")).containsExactly("beta", "gamma");
        assertThat(names(filter("config.opt = adam") + "&sort=name")).containsExactly("alpha", "gamma");
        assertThat(names(filter("config.opt ~ adam") + "&sort=name")).containsExactly("alpha", "alpha-2", "gamma");
        assertThat(names(filter("config.opt > adam") + "&sort=name")).containsExactly("alpha-2", "beta", "delta");
        assertThat(names(filter("config.lr = \"1e-4\""))).containsExactly("delta");
        assertThat(names(filter("config.seed != 2") + "&sort=name")).containsExactly("alpha", "alpha-2", "delta", "gamma");
    }

    @Test
    void summaryStatsFilterAndSortWithMissingValuesLast() {
        assertThat(names("sort=-summary.val/acc.max")).containsExactly("beta", "gamma", "alpha", "alpha-2", "delta");
        assertThat(names("sort=summary.val/acc.last")).containsExactly("alpha-2", "alpha", "gamma", "beta", "delta");
        assertThat(names(filter("summary.val/acc.max >= 0.8") + "&sort=name")).containsExactly("beta", "gamma");
        assertThat(names(filter("summary.val/acc.n = 2") + "&" + filter("summary.val/acc.mean < 0.6") + "&sort=name"))
                .containsExactly("alpha", "alpha-2");
    }

    @Test
    void statusGroupTagAndTextFiltersCombine() {
        assertThat(names("status=RUNNING&sort=name")).containsExactly("alpha-2", "beta", "delta");
        assertThat(names("status=FINISHED,FAILED&sort=name")).containsExactly("alpha", "gamma");
        assertThat(names("group=sweep&tag=cnn&tag=fast&sort=name")).containsExactly("alpha", "alpha-2");
        assertThat(names("q=ALPHA&sort=-name")).containsExactly("alpha-2", "alpha");
        assertThat(names(filter("name ~ lph") + "&" + filter("status != RUNNING"))).containsExactly("alpha");
        assertThat(names(filter("group = sweep") + "&status=running&sort=-createdAt")).containsExactly("alpha-2", "beta");
    }

    @Test
    void cursorPaginationVisitsEveryRunOnce() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var page = api.get("/api/v1/projects/" + slug + "/runs?limit=2&sort=name"
                    + (cursor == null ? "" : "&cursor=" + cursor), ADMIN).json();
            page.get("runs").forEach(r -> seen.add(r.get("name").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(seen).containsExactly("alpha", "alpha-2", "beta", "delta", "gamma");
    }

    @Test
    void summaryKeysCanBeIncludedInTheList() {
        var runs = api.get("/api/v1/projects/" + slug + "/runs?sort=name&summaryKey=val/acc", ADMIN).json().get("runs");
        assertThat(runs.get(0).get("summary").get("val/acc").get("max").asDouble()).isEqualTo(0.71);
        assertThat(runs.get(3).get("summary").size()).isZero();
        assertThat(api.get("/api/v1/projects/" + slug + "/runs", ADMIN).json().get("runs").get(0).has("summary"))
                .isFalse();
    }

    @Test
    void unknownFieldsOperatorsAndValuesAreBadRequests() {
        for (String query : List.of(filter("password = x"), filter("name"), filter("createdAt ~ 2020"),
                filter("summary.val/acc.median > 1"), filter("summary.val/acc.max > high"), filter("status = DONE"),
                filter("createdAt > yesterday"), "sort=-secret", "sort=summary.x", "limit=0", "limit=1001",
                "cursor=garbage", filter("name; drop table runs = 1"))) {
            Api.Response response = api.get("/api/v1/projects/" + slug + "/runs?" + query, ADMIN);
            assertThat(response.status()).as(query + " → " + response).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asString()).isIn("filter", "sort", "limit", "cursor");
        }
        assertThat(names(filter("name = x' or '1'='1"))).isEmpty();
        assertThat(names(filter("config.opt = adam'; drop table runs; --"))).isEmpty();
        assertThat(names("")).hasSize(5);
    }

    @Test
    void createdAtFiltersAcceptIsoAndEpochMillis() {
        assertThat(names(filter("createdAt > 2000-01-01T00:00:00Z"))).hasSize(5);
        assertThat(names(filter("createdAt < 946684800000"))).isEmpty();
    }
}
