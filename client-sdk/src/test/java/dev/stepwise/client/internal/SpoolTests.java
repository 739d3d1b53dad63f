package dev.stepwise.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.stepwise.client.RunSpec;
import dev.stepwise.client.TrainLog;

class SpoolTests {

    @TempDir
    Path dir;

    private final UUID runId = UUID.fromString("00000000-0000-0000-0000-000000000001");

    private static Point point(String key, long step, double value, long epoch, long time) {
        return new Point(null, key, step, value, epoch, time);
    }

    @Test
    void metricsEntryIsATrainLogAndReplaysTheExactPoints() throws IOException {
        Spool spool = new Spool(dir, Long.MAX_VALUE, Clock.systemUTC());
        List<Point> points = List.of(point("loss", 0, Double.NaN, 0, 1000), point("loss", 0, 2.0, 0, 1001),
                point("acc", 5, Double.NEGATIVE_INFINITY, -1, 1002), point("loss", 5, 1.0, 1, 1003));
        Path f = spool.writeMetrics("vision", runId, "baseline", "batch-1", points);

        TrainLog view = TrainLog.read(f);
        assertThat(view.title()).isEqualTo("baseline");
        assertThat(view.steps()).containsExactly(0, 5);
        assertThat(view.series().get(0).values()).containsExactly(2.0, 1.0);
        assertThat(view.series().get(1).values()).containsExactly(Double.NaN, Double.NEGATIVE_INFINITY);
        assertThat(view.notes()).contains("project=vision", "run_id=" + runId, "run_name=baseline", "batch_id=batch-1");

        Spool.Entry e = Spool.read(f);
        assertThat(e.kind()).isEqualTo(Spool.KIND_METRICS);
        assertThat(e.batchId()).isEqualTo("batch-1");
        assertThat(e.project()).isEqualTo("vision");
        assertThat(e.runId()).isEqualTo(runId);
        assertThat(e.points()).extracting(p -> p.key + "@" + p.step + "=" + p.value + "/e" + p.epoch + "/t" + p.timeMillis)
                .containsExactly("loss@0=NaN/e0/t1000", "loss@0=2.0/e0/t1001", "acc@5=-Infinity/e-1/t1002",
                        "loss@5=1.0/e1/t1003");
    }

    @Test
    void writesAtomicallyWithoutLeavingTempFiles() throws IOException {
        Spool spool = new Spool(dir, Long.MAX_VALUE, Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            spool.writeMetrics("vision", runId, null, "b" + i, List.of(point("x", i, i, -1, 0)));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(".sw-" + spool.writerId() + ".lock")))
                    .hasSize(5).allMatch(n -> n.startsWith("sw-") && n.endsWith("-metrics.json"));
        }
    }

    private Spool client(String project, String url) {
        return new Spool(dir, Long.MAX_VALUE, Clock.systemUTC(), project, url);
    }

    @Test
    void onlyFilesOfEndedWritersAreAdoptedAndByOneAdopterAtATime() throws IOException {
        String url = "http://stepwise.internal:8080";
        Spool live = client("vision", url);
        Path liveFile = live.writeMetrics("vision", runId, null, "live", List.of(point("x", 0, 0, -1, 0)));
        Spool ended = client("vision", url);
        Path endedRun = ended.writeRun("vision", runId, RunSpec.builder().name("n").build());
        Path endedMetrics = ended.writeMetrics("vision", runId, null, "ended", List.of(point("x", 1, 1, -1, 0)));
        ended.releaseLocks();

        Spool adopter = client("vision", url);
        assertThat(adopter.adoptOrphans()).containsExactly(endedRun, endedMetrics);
        // A second client finds nothing to take while the first one holds them.
        Spool second = client("vision", url);
        assertThat(second.adoptOrphans()).isEmpty();

        adopter.delete(endedRun);
        adopter.delete(endedMetrics);
        assertThat(adopter.adoptOrphans()).isEmpty();
        assertThat(dir.resolve(".sw-" + ended.writerId() + ".lock")).doesNotExist();
        assertThat(liveFile).exists();
        assertThat(dir.resolve(".sw-" + live.writerId() + ".lock")).exists();

        // The live writer closes with its file still there: its lock file stays, and it can be adopted.
        live.close();
        assertThat(dir.resolve(".sw-" + live.writerId() + ".lock")).exists();
        assertThat(second.adoptOrphans()).containsExactly(liveFile);
        second.close();
        adopter.close();
    }

    @Test
    void leftoversOfAnotherProjectOrServerAreNotAdopted() throws IOException {
        Spool otherProject = client("audio", "http://stepwise.internal:8080");
        otherProject.writeMetrics("audio", runId, null, "a", List.of(point("x", 0, 0, -1, 0)));
        otherProject.close();
        Spool otherServer = client("vision", "http://elsewhere:8080");
        otherServer.writeMetrics("vision", runId, null, "b", List.of(point("x", 0, 0, -1, 0)));
        otherServer.close();
        Spool offline = client("vision", null);
        offline.writeMetrics("vision", runId, null, "c", List.of(point("x", 0, 0, -1, 0)));
        offline.close();

        Spool unowned = client("vision", "http://stepwise.internal:8080");
        unowned.writeMetrics("vision", runId, null, "d", List.of(point("x", 0, 0, -1, 0)));
        unowned.releaseLocks();
        Files.delete(dir.resolve(".sw-" + unowned.writerId() + ".lock"));

        Spool adopter = client("vision", "http://stepwise.internal:8080");
        assertThat(adopter.adoptOrphans()).isEmpty();
        assertThat(dir.resolve(".sw-" + unowned.writerId() + ".lock")).doesNotExist();
        // Without a server of its own, a client adopts nothing at all.
        Spool noServer = client("vision", null);
        assertThat(noServer.adoptOrphans()).isEmpty();
        assertThat(Spool.listDir(dir, null)).hasSize(4);
        adopter.close();
        noServer.close();
    }

    @Test
    void listsRunCreationsFirstThenOldestFirst() throws IOException {
        Spool spool = new Spool(dir, Long.MAX_VALUE, Clock.systemUTC());
        Path m1 = spool.writeMetrics("vision", runId, null, "b1", List.of(point("x", 0, 0, -1, 0)));
        Path run = spool.writeRun("vision", runId, RunSpec.builder().name("n").build());
        Path m2 = spool.writeMetrics("vision", runId, null, "b2", List.of(point("x", 1, 0, -1, 0)));
        Path st = spool.writeStatus("vision", runId, "n", "FINISHED");
        assertThat(spool.list(true)).containsExactly(run, m1, m2, st);
        assertThat(new Spool(dir, Long.MAX_VALUE, Clock.systemUTC()).list(true)).isEmpty();
        assertThat(Spool.listDir(dir, null)).hasSize(4);
    }

    @Test
    void writesPastTheByteCapEvictTheOldestMetricsEntriesAndCountTheirPoints() throws IOException {
        java.util.concurrent.atomic.AtomicLong evictedPoints = new java.util.concurrent.atomic.AtomicLong();
        Spool spool = new Spool(dir, 3000, Spool.DEFAULT_MAX_FILES, Clock.systemUTC(), "vision", null,
                evictedPoints::addAndGet);
        Path run = spool.writeRun("vision", runId, RunSpec.builder().name("kept").build());
        assertThat(run).isNotNull();
        Path first = spool.writeMetrics("vision", runId, null, "b0", List.of(point("x", 0, 0, -1, 0),
                point("x", 1, 0, -1, 0)));
        Path last = null;
        for (int i = 1; i < 20; i++) {
            last = spool.writeMetrics("vision", runId, null, "b" + i, List.of(point("x", 10 + i, 0, -1, 0)));
            assertThat(last).as("write %d makes room instead of being refused", i).isNotNull();
        }
        long total;
        try (Stream<Path> s = Files.list(dir)) {
            total = s.filter(p -> p.getFileName().toString().startsWith("sw-")).mapToLong(p -> p.toFile().length()).sum();
        }
        assertThat(total).isLessThanOrEqualTo(3000);
        assertThat(spool.evicted()).isPositive();
        assertThat(evictedPoints.get()).isGreaterThanOrEqualTo(2);
        assertThat(first).doesNotExist();
        assertThat(run).as("run events are never evicted").exists();
        assertThat(last).exists();
        assertThat(spool.writeMetrics("vision", runId, null, "huge",
                java.util.stream.IntStream.range(0, 500).mapToObj(i -> point("x", i, 0, -1, 0)).toList()))
                .as("an entry larger than the whole cap is refused").isNull();
    }

    @Test
    void theNumberOfEntriesIsCappedToo() throws IOException {
        java.util.concurrent.atomic.AtomicLong evictedPoints = new java.util.concurrent.atomic.AtomicLong();
        Spool spool = new Spool(dir, Long.MAX_VALUE, 5, Clock.systemUTC(), "vision", null, evictedPoints::addAndGet);
        for (int i = 0; i < 12; i++) {
            assertThat(spool.writeMetrics("vision", runId, null, "b" + i, List.of(point("x", i, 0, -1, 0)))).isNotNull();
        }
        assertThat(spool.list(true)).hasSize(5);
        assertThat(spool.evicted()).isEqualTo(7);
        assertThat(evictedPoints.get()).isEqualTo(7);
        assertThat(Spool.read(spool.list(true).get(0)).batchId()).isEqualTo("b7");
    }

    @Test
    void runEntryCarriesTheCreateRequestAndTrainLogNotes() throws IOException {
        Spool spool = new Spool(dir, Long.MAX_VALUE, Clock.systemUTC());
        Path f = spool.writeRun("vision", runId, RunSpec.builder().name("n").group("g").tags("a", "b")
                .config("lr", 0.1).config("opt", "adam").build());
        assertThat(TrainLog.read(f).notes()).containsExactly("project=vision", "run_id=" + runId, "run_name=n",
                "group=g", "tags=a,b", "config.lr=0.1", "config.opt=adam");
        Spool.Entry e = Spool.read(f);
        assertThat(e.payload()).containsEntry("id", runId.toString()).containsEntry("name", "n")
                .containsEntry("group", "g").containsEntry("tags", List.of("a", "b"));
    }

    @Test
    void staleLockFilesGoOnceTheirEntriesAreGoneAndLiveOnesStay() throws IOException {
        Spool live = client("vision", "http://stepwise.internal:8080");
        live.writeMetrics("vision", runId, null, "live", List.of(point("x", 0, 0, -1, 0)));
        Spool endedEmpty = client("vision", "http://stepwise.internal:8080");
        Path synced = endedEmpty.writeMetrics("vision", runId, null, "synced", List.of(point("x", 1, 1, -1, 0)));
        endedEmpty.releaseLocks();
        Spool endedWithFiles = client("vision", "http://stepwise.internal:8080");
        endedWithFiles.writeMetrics("vision", runId, null, "left", List.of(point("x", 2, 2, -1, 0)));
        endedWithFiles.releaseLocks();
        Files.delete(synced);

        assertThat(Spool.removeStaleLocks(dir)).isEqualTo(1);
        assertThat(dir.resolve(".sw-" + endedEmpty.writerId() + ".lock")).doesNotExist();
        assertThat(dir.resolve(".sw-" + endedWithFiles.writerId() + ".lock")).exists();
        assertThat(dir.resolve(".sw-" + live.writerId() + ".lock")).exists();
        live.close();
    }
}
