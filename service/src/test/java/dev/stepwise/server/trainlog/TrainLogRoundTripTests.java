package dev.stepwise.server.trainlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** TrainLog import → export → import without loss, and re-importing a log that has grown. */
class TrainLogRoundTripTests extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    private static String log(String steps, String lossValues, String accValues) {
        return """
                { "title": "MNIST baseline",
                  "steps": [%s],
                  "series": [ { "name": "val/loss", "values": [%s], "color": "#d33" },
                              { "name": "acc", "values": [%s], "color": "#1f77b4" },
                              { "name": "lr", "values": [%s] } ],
                  "notes": [ "project=vision", "run_name=baseline", "run_id=mnist-2024-07", "group=lr-sweep",
                             "seed 42 was used", "config.lr=0.01", "data: mnist, 60k images",
                             "artifact.checkpoint=ckpt/model.bin kind=model desc=final weights" ] }
                """.formatted(steps, lossValues, accValues, String.join(",",
                java.util.Collections.nCopies(steps.split(",").length, "\"NaN\"")));
    }

    private String importPath(String slug) {
        return "/api/v1/projects/" + slug + "/import/trainlog";
    }

    private long storedPoints(String runId) {
        return jdbc.queryForObject("select count(*) from metric_points p join metric_series s on s.id = p.series_id "
                + "where s.run_id = ?", Long.class, UUID.fromString(runId));
    }

    private static List<String> notes(JsonNode log) {
        List<String> notes = new ArrayList<>();
        log.get("notes").forEach(n -> notes.add(n.asString()));
        return notes;
    }

    @Test
    void reimportingAGrownLogStoresOnlyItsNewPoints() {
        String slug = createProject(ADMIN);
        Api.Response first = api.post(importPath(slug), ADMIN, log("0, 10, 20", "2.3, 1.5, 0.9", "0.1, \"NaN\", 0.5"));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        String id = first.json().get("id").asString();
        assertThat(storedPoints(id)).isEqualTo(5);

        Api.Response grown = api.post(importPath(slug), ADMIN,
                log("0, 10, 20, 30, 40", "2.3, 1.5, 0.9, 0.7, 0.6", "0.1, \"NaN\", 0.5, 0.6, \"NaN\""));
        assertThat(grown.status()).as(grown.toString()).isEqualTo(200);
        assertThat(grown.json().get("id").asString()).isEqualTo(id);
        assertThat(storedPoints(id)).isEqualTo(8);
        JsonNode summary = api.get(runPath(slug, id) + "/summary", ADMIN).json();
        assertThat(summary.get("val/loss").get("n").asLong()).isEqualTo(5);
        assertThat(summary.get("val/loss").get("last").asDouble()).isEqualTo(0.6);
        assertThat(summary.get("acc").get("n").asLong()).isEqualTo(3);
        assertThat(api.get(runPath(slug, id) + "/artifacts", ADMIN).json().get("artifacts")).hasSize(1);

        api.post(importPath(slug), ADMIN,
                log("0, 10, 20, 30, 40", "2.3, 1.5, 0.9, 0.7, 0.6", "0.1, \"NaN\", 0.5, 0.6, \"NaN\""));
        assertThat(storedPoints(id)).isEqualTo(8);
    }

    @Test
    void exportGivesBackNotesColoursSeriesOrderTitleAndTheOriginalRunId() {
        String slug = createProject(ADMIN);
        String file = log("0, 10, 20", "2.3, 1.5, 0.9", "0.1, \"NaN\", 0.5");
        String id = api.post(importPath(slug), ADMIN, file).json().get("id").asString();

        JsonNode exported = api.get(runPath(slug, id) + "/export/trainlog", ADMIN).json();
        JsonNode original = Api.JSON.readTree(file);
        assertThat(exported.get("title").asString()).isEqualTo("MNIST baseline");
        assertThat(exported.get("steps")).isEqualTo(original.get("steps"));
        List<String> names = new ArrayList<>();
        List<String> colours = new ArrayList<>();
        exported.get("series").forEach(s -> {
            names.add(s.get("name").asString());
            colours.add(s.get("color").asString());
        });
        assertThat(names).containsExactly("val/loss", "acc", "lr");
        assertThat(colours).containsExactly("#d33", "#1f77b4", "#0a7");
        assertThat(exported.get("series").get(1).get("values").toString()).isEqualTo("[0.1,\"NaN\",0.5]");
        assertThat(exported.get("series").get(2).get("values").toString()).isEqualTo("[\"NaN\",\"NaN\",\"NaN\"]");
        assertThat(notes(exported)).contains("run_id=mnist-2024-07", "seed 42 was used", "data: mnist, 60k images",
                "config.lr=0.01", "group=lr-sweep", "run_name=baseline",
                "artifact.checkpoint=ckpt/model.bin kind=model desc=final weights");
        assertThat(notes(exported)).containsSubsequence("seed 42 was used", "data: mnist, 60k images");

        // The exported file imported into another project is the same log again.
        String other = createProject(ADMIN);
        String copy = api.post(importPath(other), ADMIN, exported.toString()).json().get("id").asString();
        JsonNode again = api.get(runPath(other, copy) + "/export/trainlog", ADMIN).json();
        assertThat(again.get("title")).isEqualTo(exported.get("title"));
        assertThat(again.get("steps")).isEqualTo(exported.get("steps"));
        assertThat(again.get("series")).isEqualTo(exported.get("series"));
        assertThat(notes(again)).containsExactlyInAnyOrderElementsOf(notes(exported).stream()
                .map(n -> n.startsWith("project=") ? "project=" + other : n).toList());
        assertThat(api.get(runPath(other, copy), ADMIN).json().get("notes").asString())
                .isEqualTo("seed 42 was used\ndata: mnist, 60k images");
    }

    @Test
    void theOriginalRunIdMapsToTheSameRunWhenTheExportComesBack() {
        String slug = createProject(ADMIN);
        String id = api.post(importPath(slug), ADMIN, log("0, 1", "2, 1", "0.1, 0.2")).json().get("id").asString();
        String exported = api.get(runPath(slug, id) + "/export/trainlog", ADMIN).body();
        Api.Response back = api.post(importPath(slug), ADMIN, exported);
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.json().get("id").asString()).isEqualTo(id);
        assertThat(storedPoints(id)).isEqualTo(4);
    }

    @Test
    void aTitleThatIsJustTheNameFollowsARename() {
        String slug = createProject(ADMIN);
        String id = api.post(importPath(slug), ADMIN, "{\"title\": \"baseline\", \"notes\": [\"run_name=baseline\"], "
                + "\"series\": [{\"name\": \"loss\", \"values\": [1]}]}").json().get("id").asString();
        api.patch(runPath(slug, id), ADMIN, java.util.Map.of("name", "baseline-v2"));
        assertThat(api.get(runPath(slug, id) + "/export/trainlog", ADMIN).json().get("title").asString())
                .isEqualTo("baseline-v2");
    }

    @Test
    void aBadColourIsRejectedNamingTheField() {
        String slug = createProject(ADMIN);
        Api.Response response = api.post(importPath(slug), ADMIN,
                "{\"series\": [{\"name\": \"loss\", \"values\": [1], \"color\": 7}]}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("series[0].color");
    }
}
