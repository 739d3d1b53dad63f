package dev.stepwise.server.trainlog;

import static dev.stepwise.server.support.TrackingFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

class TrainLogTests extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    private static final String SEED_EXAMPLE = """
            { "title": "Training",
              "steps": [0, 10, 20],
              "series": [ { "name": "loss", "values": [2.3, "NaN", 0.9], "color": "#0a7" },
                          { "name": "acc", "values": ["NaN", 0.5, "Infinity"] } ],
              "notes": [ "project=vision", "run_name=baseline", "run_id=abc", "group=lr-sweep",
                         "tags=a,b", "config.lr=0.01", "config.optimizer=adam", "config.layers=[64,64]",
                         "artifact.checkpoint=ckpt/model.bin kind=model desc=final weights", "seed 42 was used" ] }
            """;

    private String importPath(String slug) {
        return "/api/v1/projects/" + slug + "/import/trainlog";
    }

    @Test
    void importTurnsNotesIntoRunMetadataAndSkipsPlaceholders() {
        String slug = createProject(ADMIN);
        Api.Response response = api.post(importPath(slug), ADMIN, SEED_EXAMPLE);
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        JsonNode run = response.json();
        assertThat(run.get("name").asString()).isEqualTo("baseline");
        assertThat(run.get("group").asString()).isEqualTo("lr-sweep");
        assertThat(run.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(run.get("config").get("lr").isNumber()).isTrue();
        assertThat(run.get("config").get("lr").asDouble()).isEqualTo(0.01);
        assertThat(run.get("config").get("optimizer").asString()).isEqualTo("adam");
        assertThat(run.get("config").get("layers").toString()).isEqualTo("[64,64]");
        assertThat(run.get("notes").asString()).isEqualTo("seed 42 was used");
        assertThat(run.get("status").asString()).isEqualTo("FINISHED");
        String id = run.get("id").asString();
        assertThat(id).isEqualTo(UUID.nameUUIDFromBytes(("trainlog:" + slug + ":abc").getBytes()).toString());

        var summary = api.get(runPath(slug, id) + "/summary", ADMIN).json();
        assertThat(summary.get("loss").get("n").asLong()).isEqualTo(2);
        assertThat(summary.get("acc").get("n").asLong()).isEqualTo(2);
        assertThat(summary.get("acc").get("last").asString()).isEqualTo("Infinity");
        assertThat(api.get(runPath(slug, id) + "/series?key=loss", ADMIN).json().get("points").get("x").toString())
                .isEqualTo("[0,20]");
        var artifact = api.get(runPath(slug, id) + "/artifacts", ADMIN).json().get("artifacts").get(0);
        assertThat(artifact.get("name").asString()).isEqualTo("checkpoint");
        assertThat(artifact.get("uri").asString()).isEqualTo("ckpt/model.bin");
        assertThat(artifact.get("kind").asString()).isEqualTo("model");
        assertThat(artifact.get("description").asString()).isEqualTo("final weights");
    }

    @Test
    void reimportingTheSameFileStoresItsPointsOnce() {
        String slug = createProject(ADMIN);
        String id = api.post(importPath(slug), ADMIN, SEED_EXAMPLE).json().get("id").asString();
        Api.Response again = api.post(importPath(slug), ADMIN, SEED_EXAMPLE);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(id);
        assertThat(jdbc.queryForObject("select count(*) from metric_points p join metric_series s on s.id = p.series_id "
                + "where s.run_id = ?", Long.class, UUID.fromString(id))).isEqualTo(4);
        assertThat(api.get(runPath(slug, id) + "/artifacts", ADMIN).json().get("artifacts")).hasSize(1);
    }

    @Test
    void missingFieldsAreDefaulted() {
        String slug = createProject(ADMIN);
        Api.Response response = api.post(importPath(slug), ADMIN,
                "{\"series\": [{\"name\": \"loss\", \"values\": [3, 2, 1]}]}");
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        String id = response.json().get("id").asString();
        assertThat(response.json().get("name").isNull()).isTrue();
        assertThat(api.get(runPath(slug, id) + "/series?key=loss", ADMIN).json().get("points").get("x").toString())
                .isEqualTo("[0,1,2]");
        assertThat(api.post(importPath(slug), ADMIN, "{}").status()).isEqualTo(201);
    }

    @Test
    void exportAlignsSeriesOnTheUnionOfStepsAndCarriesMetadata() {
        String slug = createProject(ADMIN);
        String id = createRun(slug, Map.of("name", "exported", "group", "g", "tags", List.of("t1", "t2"),
                "config", Map.of("lr", 0.5, "opt", "adam")));
        upload(slug, id, null, List.of(point("train/loss", 0, 1.0, 0), point("train/loss", 2, 0.5, 0),
                point("val/loss", 1, 0.7, 0), point("val/loss", 2, Double.NEGATIVE_INFINITY, 0),
                point("train/loss", 2, 0.25, 0)));
        api.post(runPath(slug, id) + "/artifacts", ADMIN, Map.of("name", "ckpt", "uri", "s3://b/ckpt", "kind", "model"));

        Api.Response response = api.get(runPath(slug, id) + "/export/trainlog", ADMIN);
        assertThat(response.status()).isEqualTo(200);
        JsonNode log = response.json();
        assertThat(log.get("title").asString()).isEqualTo("exported");
        assertThat(log.get("steps").toString()).isEqualTo("[0,1,2]");
        assertThat(log.get("series").get(0).get("name").asString()).isEqualTo("train/loss");
        assertThat(log.get("series").get(0).get("values").toString()).isEqualTo("[1.0,\"NaN\",0.25]");
        assertThat(log.get("series").get(1).get("values").toString()).isEqualTo("[\"NaN\",0.7,\"-Infinity\"]");
        assertThat(log.get("series").get(0).get("color").asString()).isEqualTo("#0a7");
        List<String> notes = new ArrayList<>();
        log.get("notes").forEach(n -> notes.add(n.asString()));
        assertThat(notes).contains("project=" + slug, "run_name=exported", "run_id=" + id, "group=g", "tags=t1,t2",
                "config.lr=0.5", "config.opt=adam", "artifact.ckpt=s3://b/ckpt kind=model", "status=RUNNING");
    }

    @Test
    void exportThenImportReproducesTheRun() {
        String source = createProject(ADMIN);
        String id = createRun(source, Map.of("name", "roundtrip", "config", Map.of("lr", 0.1, "layers", List.of(1, 2))));
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            points.add(point("loss", i * 3L, Math.exp(-i / 50.0), null));
            if (i % 4 == 0) {
                points.add(point("acc", i * 3L, i / 200.0, null));
            }
        }
        upload(source, id, null, points);
        String exported = api.get(runPath(source, id) + "/export/trainlog", ADMIN).body();

        String target = createProject(ADMIN);
        Api.Response imported = api.post("/api/v1/projects/" + target + "/import/trainlog", ADMIN, exported);
        assertThat(imported.status()).isEqualTo(201);
        String copy = imported.json().get("id").asString();
        assertThat(copy).isNotEqualTo(id);
        assertThat(imported.json().get("config").toString()).isEqualTo("{\"layers\":[1,2],\"lr\":0.1}");
        assertThat(api.get(runPath(target, copy) + "/summary", ADMIN).body())
                .isEqualTo(api.get(runPath(source, id) + "/summary", ADMIN).body());
        assertThat(api.post("/api/v1/projects/" + target + "/import/trainlog", ADMIN, exported).json().get("id")
                .asString()).isEqualTo(copy);
        JsonNode again = api.get(runPath(target, copy) + "/export/trainlog", ADMIN).json();
        JsonNode original = Api.JSON.readTree(exported);
        assertThat(again.get("steps")).isEqualTo(original.get("steps"));
        assertThat(again.get("series")).isEqualTo(original.get("series"));
    }

    @Test
    void malformedTrainLogsAreRejectedNamingTheField() {
        String slug = createProject(ADMIN);
        Map<String, String> cases = Map.of(
                "{\"series\": {\"name\": \"loss\"}}", "series",
                "{\"series\": [{\"values\": [1]}]}", "series[0].name",
                "{\"series\": [{\"name\": \"loss\"}]}", "series[0].values",
                "{\"series\": [{\"name\": \"a\", \"values\": [1]}, {\"name\": \"loss\", \"values\": [1, \"bad\"]}]}",
                "series[1].values[1]",
                "{\"steps\": [0, 1], \"series\": [{\"name\": \"loss\", \"values\": [1, 2, 3]}]}", "series[0].values",
                "{\"steps\": [0, -1], \"series\": []}", "steps[1]",
                "{\"notes\": \"project=x\"}", "notes",
                "[1, 2]", "body");
        long runsBefore = jdbc.queryForObject("select count(*) from runs", Long.class);
        cases.forEach((body, field) -> {
            Api.Response response = api.post(importPath(slug), ADMIN, body);
            assertThat(response.status()).as(body + " → " + response).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asString()).as(body).isEqualTo(field);
        });
        assertThat(jdbc.queryForObject("select count(*) from runs", Long.class)).isEqualTo(runsBefore);
    }
}
