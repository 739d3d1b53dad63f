package dev.stepwise.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.stepwise.client.TrainLog;
import dev.stepwise.client.internal.Point;
import dev.stepwise.client.internal.Spool;
import dev.stepwise.client.testing.FakeStepwiseServer;

class MainTests {

    @TempDir
    Path tmp;

    FakeStepwiseServer server;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        server = FakeStepwiseServer.startOnFreePort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private int run(String... args) {
        return Main.execute(args, Map.of("STEPWISE_URL", server.url(), "STEPWISE_PROJECT", "vision"),
                new PrintStream(out), new PrintStream(err));
    }

    private static TrainLog sample(String name) {
        return TrainLog.builder().title(name).steps(0, 10, 20)
                .series(TrainLog.Series.create("loss", 2.3, Double.NaN, 0.9)).build();
    }

    @Test
    void importsTrainLogFilesAsRuns() throws IOException {
        Path a = tmp.resolve("a.json");
        Path b = tmp.resolve("b.json");
        sample("a").write(a);
        sample("b").write(b);
        assertThat(run("import", "trainlog", a.toString(), b.toString())).isZero();
        assertThat(server.runs()).hasSize(2);
        assertThat(server.points()).hasSize(4);
        assertThat(out.toString()).contains("a.json -> run ").contains("b.json -> run ");
    }

    @Test
    void importsADirectoryOfTrials() throws IOException {
        Path trials = tmp.resolve("sweep");
        sample("x").write(trials.resolve("lr-0.1/trainlog.json"));
        sample("y").write(trials.resolve("lr-0.01/trainlog.json"));
        sample("z").write(trials.resolve("loose.json"));
        Files.writeString(trials.resolve("lr-0.1/cfg.json"), "{\"not\":\"a trainlog\"}");
        assertThat(run("import", "trials", trials.toString())).isZero();
        assertThat(server.runs().values()).extracting(r -> r.name + "|" + r.group)
                .containsExactlyInAnyOrder("lr-0.1|sweep", "lr-0.01|sweep", "loose|sweep");
    }

    @Test
    void exportsARunAsTrainLog() throws IOException {
        Path in = tmp.resolve("in.json");
        sample("exported").write(in);
        assertThat(run("import", "trainlog", in.toString())).isZero();
        String id = server.runs().keySet().iterator().next();
        Path file = tmp.resolve("out/run.json");
        assertThat(run("export", "trainlog", id, "-o", file.toString())).isZero();
        TrainLog log = TrainLog.read(file);
        assertThat(log.series()).singleElement().satisfies(s -> assertThat(s.values()).containsExactly(2.3, 0.9));
        assertThat(log.steps()).containsExactly(0, 20);
    }

    @Test
    void syncExitsNonZeroAndKeepsRejectedEntriesAside() throws IOException {
        Path spoolDir = tmp.resolve("spool");
        Spool spool = new Spool(spoolDir, Long.MAX_VALUE, Clock.systemUTC());
        // Metrics for a run that exists nowhere: the server answers 404, never retried.
        spool.writeMetrics("vision", UUID.randomUUID(), null, "b1", List.of(new Point(null, "x", 0, 1, -1, 0)));
        assertThat(run("sync", spoolDir.toString(), "--no-progress")).isEqualTo(1);
        assertThat(Spool.listDir(spoolDir, null)).isEmpty();
        assertThat(spoolDir.resolve("rejected")).isDirectoryContaining(p -> p.toString().endsWith("-metrics.json"));
        assertThat(server.metricRequests()).isEqualTo(1);
    }

    @Test
    void syncDrawsAProgressBarAndReportsCounts() throws IOException {
        Path spoolDir = tmp.resolve("spool");
        Spool spool = new Spool(spoolDir, Long.MAX_VALUE, Clock.systemUTC());
        UUID id = UUID.randomUUID();
        spool.writeRun("vision", id, dev.stepwise.client.RunSpec.builder().name("n").build());
        spool.writeMetrics("vision", id, "n", "b1", List.of(new Point(null, "x", 0, 1, -1, 0)));
        assertThat(run("sync", spoolDir.toString())).isZero();
        assertThat(err.toString()).contains("[##############################] 2/2 entries, 1 points");
        assertThat(out.toString()).contains("synced 2 of 2 entries (1 points); 0 rejected; 0 left");
    }

    @Test
    void missingUrlIsAUsageError() {
        int code = Main.execute(new String[] {"sync", tmp.toString()}, Map.of(), new PrintStream(out),
                new PrintStream(err));
        assertThat(code).isEqualTo(0);
        int code2 = Main.execute(new String[] {"export", "trainlog", UUID.randomUUID().toString(), "-o", "x.json"},
                Map.of(), new PrintStream(out), new PrintStream(err));
        assertThat(code2).isEqualTo(2);
        assertThat(err.toString()).contains("STEPWISE_URL");
    }
}
