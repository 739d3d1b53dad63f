package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDestinationTests {

    @TempDir
    Path tmp;

    @Test
    void disabledWordsAndModeNamesAreNotPaths() {
        for (String w : new String[] {"false", "off", "none", "no", "disabled", " NONE "}) {
            LogDestination d = LogDestination.parse(w);
            assertThat(d).as(w).isEqualTo(LogDestination.disabled());
            assertThat(d.isEnabled()).as(w).isFalse();
            assertThat(d.trainLogFile()).as(w).isEmpty();
        }
        assertThat(LogDestination.parse(null).mode()).isEqualTo(Mode.ONLINE);
        assertThat(LogDestination.parse("  ").mode()).isEqualTo(Mode.ONLINE);
        assertThat(LogDestination.parse("Online").mode()).isEqualTo(Mode.ONLINE);
        assertThat(LogDestination.parse("offline").mode()).isEqualTo(Mode.OFFLINE);
        assertThat(LogDestination.parse("offline").trainLogFile()).isEmpty();
    }

    @Test
    void anyOtherValueIsATrainLogFile() {
        for (String v : new String[] {"runs/baseline.json", "/tmp/log.json", "log", "sometimes", "C:\\logs\\a.json"}) {
            LogDestination d = LogDestination.parse(v);
            assertThat(d.trainLogFile()).as(v).contains(Path.of(v));
            assertThat(d.isEnabled()).as(v).isTrue();
            assertThat(d.mode()).as(v).isEqualTo(Mode.DISABLED);
        }
        assertThat(LogDestination.parse(" out/run.json ").trainLogFile()).contains(Path.of("out/run.json"));
    }

    @Test
    void anOptionalValueFallsBackToTheDefaultFile() {
        Path fallback = Path.of("training.json");
        assertThat(LogDestination.parse(null, fallback).trainLogFile()).contains(fallback);
        assertThat(LogDestination.parse("off", fallback).isEnabled()).isFalse();
        assertThat(LogDestination.parse("off", fallback).trainLogFileOr(fallback)).isEqualTo(fallback);
        assertThat(LogDestination.parse("x.json", fallback).trainLogFileOr(fallback)).isEqualTo(Path.of("x.json"));
    }

    @Test
    void sinkOfADestination() throws Exception {
        Path file = tmp.resolve("sink.json");
        try (LogSink sink = LogDestination.parse(file.toString()).sink("demo")) {
            sink.write("train", 3, Map.of("train/loss", 0.5), Map.of());
        }
        assertThat(TrainLog.read(file).series().get(0).name()).isEqualTo("train/loss");
        LogDestination.disabled().sink("demo").write("train", 1, Map.of("x", 1.0), Map.of());
        assertThatThrownBy(() -> LogDestination.of(Mode.ONLINE).sink("demo")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stepwiseModeNamingAPathWritesEachRunAsATrainLogFile() throws Exception {
        Path file = tmp.resolve("logs/baseline.json");
        try (Stepwise stepwise = Stepwise.builder()
                .environment(Map.of("STEPWISE_MODE", file.toString(), "STEPWISE_URL", "http://127.0.0.1:9"))
                .spoolDir(tmp.resolve("spool")).shutdownHook(false).build()) {
            assertThat(stepwise.mode()).isEqualTo(Mode.DISABLED);
            assertThat(stepwise.trainLogFile()).contains(file);
            Run run = stepwise.newRun().name("baseline").group("lr-sweep").tags("a", "b").config("lr", 0.01)
                    .notes("seed 42").start();
            run.log("loss", 2.0, 0);
            run.log("loss", 1.0, 10);
            run.log("acc", 0.5, 10);
            run.artifact("checkpoint", "ckpt/model.bin", "model", "final weights");
            run.finish("completed");
            Run second = stepwise.newRun().name("second").start();
            second.log("loss", 3.0, 1);
            second.finish();
            assertThat(stepwise.flush(Duration.ofSeconds(1))).isTrue();

            TrainLog log = TrainLog.read(file);
            assertThat(log.title()).isEqualTo("baseline");
            assertThat(log.steps()).containsExactly(0L, 10L);
            assertThat(log.series().get(0).name()).isEqualTo("loss");
            assertThat(log.series().get(0).values()).containsExactly(2.0, 1.0);
            assertThat(log.series().get(1).values()[0]).isNaN();
            assertThat(log.notes()).contains("run_name=baseline", "run_id=" + run.id(), "group=lr-sweep",
                    "tags=a,b", "config.lr=0.01", "artifact.checkpoint=ckpt/model.bin kind=model desc=final weights",
                    "status=FINISHED", "seed 42");
            assertThat(TrainLog.read(tmp.resolve("logs/baseline-2.json")).note("run_name")).contains("second");
        }
        assertThat(Files.exists(tmp.resolve("spool"))).isFalse();
    }
}
