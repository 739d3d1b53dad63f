package dev.stepwise.server.run;

import static dev.stepwise.server.support.TrackingFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.ApiTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class RunLifecycleTests extends ApiTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    RunService runService;

    @Test
    void createWithClientIdResumesOnSecondCreate() {
        String slug = createProject(ADMIN);
        String id = UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("id", id, "name", "baseline", "group", "sweep", "tags", List.of("a", "b"),
                "config", Map.of("lr", 0.01, "layers", List.of(64, 64), "opt", "adam"), "notes", "first try");
        Api.Response created = api.post("/api/v1/projects/" + slug + "/runs", ADMIN, body);
        assertThat(created.status()).isEqualTo(201);
        var run = created.json();
        assertThat(run.get("id").asString()).isEqualTo(id);
        assertThat(run.get("project").asString()).isEqualTo(slug);
        assertThat(run.get("status").asString()).isEqualTo("RUNNING");
        assertThat(run.get("config").get("lr").isNumber()).isTrue();
        assertThat(run.get("config").get("layers").toString()).isEqualTo("[64,64]");
        assertThat(run.get("tags").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(run.get("createdBy").asString()).isEqualTo("admin");
        assertThat(run.has("endedAt")).isTrue();

        api.patch(runPath(slug, id), ADMIN, Map.of("status", "FINISHED"));
        Api.Response resumed = api.post("/api/v1/projects/" + slug + "/runs", ADMIN, Map.of("id", id));
        assertThat(resumed.status()).isEqualTo(200);
        assertThat(resumed.json().get("status").asString()).isEqualTo("RUNNING");
        assertThat(resumed.json().get("name").asString()).isEqualTo("baseline");
        assertThat(resumed.json().get("endedAt").isNull()).isTrue();

        String other = createProject(ADMIN);
        assertThat(api.post("/api/v1/projects/" + other + "/runs", ADMIN, Map.of("id", id)).status()).isEqualTo(409);
    }

    @Test
    @Timeout(60)
    void concurrentCreatesWithOneIdMakeOneRun() throws Exception {
        String slug = createProject(ADMIN);
        String id = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<Api.Response>> futures = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                futures.add(pool.submit(() -> api.post("/api/v1/projects/" + slug + "/runs", ADMIN, Map.of("id", id))));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Api.Response> f : futures) {
                statuses.add(f.get().status());
            }
            assertThat(statuses).containsOnly(200, 201).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void patchMergesConfigAndReplacesTags() {
        String slug = createProject(ADMIN);
        String id = createRun(slug, Map.of("config", Map.of("lr", 0.1, "opt", "sgd", "seed", 1), "tags", List.of("x")));
        Map<String, Object> config = new HashMap<>();
        config.put("lr", 0.05);
        config.put("seed", null);
        config.put("batch", 32);
        var patched = api.patch(runPath(slug, id), ADMIN, Map.of("config", config, "tags", List.of("y", "z"),
                "name", "renamed", "notes", "n")).json();
        assertThat(patched.get("config").toString()).isEqualTo("{\"batch\":32,\"lr\":0.05,\"opt\":\"sgd\"}");
        assertThat(patched.get("tags").toString()).isEqualTo("[\"y\",\"z\"]");
        assertThat(patched.get("name").asString()).isEqualTo("renamed");
        assertThat(api.patch(runPath(slug, id), ADMIN, Map.of("status", "BOGUS")).status()).isEqualTo(400);
        assertThat(api.patch(runPath(slug, id), ADMIN, Map.of("colour", "red")).status()).isEqualTo(400);
    }

    @Test
    void finalStatusesOnlyAllowResuming() {
        String slug = createProject(ADMIN);
        String id = createRun(slug);
        var finished = api.patch(runPath(slug, id), ADMIN, Map.of("status", "FAILED")).json();
        assertThat(finished.get("status").asString()).isEqualTo("FAILED");
        assertThat(finished.get("endedAt").isNull()).isFalse();
        assertThat(api.patch(runPath(slug, id), ADMIN, Map.of("status", "FINISHED")).status()).isEqualTo(409);
        assertThat(api.patch(runPath(slug, id), ADMIN, Map.of("status", "FAILED")).status()).isEqualTo(200);
        assertThat(api.patch(runPath(slug, id), ADMIN, Map.of("status", "RUNNING")).json().get("status").asString())
                .isEqualTo("RUNNING");
    }

    @Test
    void deleteRemovesTheRunAndAllItsData() {
        String slug = createProject(ADMIN);
        String id = createRun(slug, Map.of("config", Map.of("a", 1), "tags", List.of("t")));
        upload(slug, id, "b1", List.of(point("loss", 1, 1.0, 0), point("loss", 2, 2.0, 0)));
        api.post(runPath(slug, id) + "/artifacts", ADMIN, Map.of("name", "ckpt", "uri", "s3://b/k"));
        long seriesId = jdbc.queryForObject("select id from metric_series where run_id = ?", Long.class, UUID.fromString(id));
        assertThat(api.delete(runPath(slug, id), ADMIN).status()).isEqualTo(204);
        assertThat(api.get(runPath(slug, id), ADMIN).status()).isEqualTo(404);
        for (String table : List.of("metric_points", "metric_rollups", "metric_epochs")) {
            assertThat(jdbc.queryForObject("select count(*) from " + table + " where series_id = ?", Long.class, seriesId))
                    .as(table).isZero();
        }
        for (String table : List.of("run_config", "run_tags", "metric_series", "ingest_batches", "artifacts")) {
            assertThat(jdbc.queryForObject("select count(*) from " + table + " where run_id = ?", Long.class,
                    UUID.fromString(id))).as(table).isZero();
        }
        assertThat(api.delete(runPath(slug, id), ADMIN).status()).isEqualTo(404);
    }

    @Test
    void silentRunsCrashAndComeBackWithHeartbeatOrUpload() {
        String slug = createProject(ADMIN);
        String quiet = createRun(slug);
        String alive = createRun(slug);
        jdbc.update("update runs set active_at = now() - interval '10 minutes' where id = ?", UUID.fromString(quiet));
        runService.sweepCrashedRuns();
        assertThat(status(slug, quiet)).isEqualTo("CRASHED");
        assertThat(status(slug, alive)).isEqualTo("RUNNING");
        assertThat(api.get(runPath(slug, quiet), ADMIN).json().get("endedAt").isNull()).isFalse();

        assertThat(api.post(runPath(slug, quiet) + "/heartbeat", ADMIN, null).status()).isEqualTo(204);
        assertThat(status(slug, quiet)).isEqualTo("RUNNING");

        jdbc.update("update runs set active_at = now() - interval '10 minutes' where id = ?", UUID.fromString(quiet));
        runService.sweepCrashedRuns();
        assertThat(status(slug, quiet)).isEqualTo("CRASHED");
        upload(slug, quiet, null, List.of(point("loss", 1, 1.0, null)));
        assertThat(status(slug, quiet)).isEqualTo("RUNNING");
    }

    @Test
    @Timeout(60)
    void concurrentSweepsAgreeOnTheOutcome() throws Exception {
        String slug = createProject(ADMIN);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(createRun(slug));
        }
        jdbc.update("update runs set active_at = now() - interval '1 hour' where id = any(?)",
                (Object) ids.stream().map(UUID::fromString).toArray(UUID[]::new));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> sweeps = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sweeps.add(pool.submit(runService::sweepCrashedRuns));
            }
            int marked = 0;
            for (Future<Integer> f : sweeps) {
                marked += f.get();
            }
            assertThat(marked).isGreaterThanOrEqualTo(20);
        } finally {
            pool.shutdownNow();
        }
        ids.forEach(id -> assertThat(status(slug, id)).isEqualTo("CRASHED"));
    }

    @Test
    void finishedRunsAreNotMarkedCrashedAndHeartbeatsLeaveThemFinished() {
        String slug = createProject(ADMIN);
        String id = createRun(slug);
        api.patch(runPath(slug, id), ADMIN, Map.of("status", "FINISHED"));
        jdbc.update("update runs set active_at = now() - interval '1 hour' where id = ?", UUID.fromString(id));
        runService.sweepCrashedRuns();
        api.post(runPath(slug, id) + "/heartbeat", ADMIN, null);
        assertThat(status(slug, id)).isEqualTo("FINISHED");
    }

    private String status(String slug, String id) {
        return api.get(runPath(slug, id), ADMIN).json().get("status").asString();
    }
}
