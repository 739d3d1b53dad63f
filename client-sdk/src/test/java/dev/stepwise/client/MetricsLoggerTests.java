package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLoggerTests {

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        long millis;

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    static final class RecordingSink implements LogSink {
        final List<String> lines = new ArrayList<>();

        @Override
        public void write(String namespace, long step, Map<String, Double> scalars, Map<String, String> texts) {
            lines.add(step + " " + scalars + " " + texts);
        }
    }

    @Test
    void namespacesBecomeKeyPrefixes() {
        RecordingSink sink = new RecordingSink();
        MetricsLogger logger = MetricsLogger.builder().sink(sink).build();
        logger.namespace("train").scalar("loss", 0.5).text("phase", () -> "warmup");
        logger.namespace("valid").scalar("loss", 0.7);
        logger.writeAll(3);
        assertThat(sink.lines).containsExactlyInAnyOrder("3 {train/loss=0.5} {train/phase=warmup}",
                "3 {valid/loss=0.7} {}");
    }

    @Test
    void lazyValuesAreComputedOnlyWhenWrittenAndOnceForAllSinks() {
        ManualClock clock = new ManualClock();
        RecordingSink a = new RecordingSink();
        RecordingSink b = new RecordingSink();
        MetricsLogger logger = MetricsLogger.builder().sink(a).sink(b).clock(clock)
                .minInterval("train", Duration.ofSeconds(10)).build();
        AtomicInteger evaluations = new AtomicInteger();
        for (int step = 0; step < 100; step++) {
            clock.millis = step * 1000L;
            logger.namespace("train").scalar("loss", () -> {
                evaluations.incrementAndGet();
                return 1.0;
            });
            logger.write("train", step);
        }
        // Steps 0, 10, 20, ... 90 pass the 10 s interval.
        assertThat(evaluations).hasValue(10);
        assertThat(a.lines).hasSize(10).first().asString().startsWith("0 ");
        assertThat(b.lines).isEqualTo(a.lines);
    }

    @Test
    void eachSinkKeepsItsOwnIntervalPerNamespace() {
        ManualClock clock = new ManualClock();
        RecordingSink fast = new RecordingSink();
        RecordingSink slow = new RecordingSink();
        MetricsLogger logger = MetricsLogger.builder().clock(clock).sink(fast)
                .sink(slow, Duration.ofSeconds(5)).build();
        for (int step = 0; step < 10; step++) {
            clock.millis = step * 1000L;
            logger.scalar("train", "loss", step);
            logger.scalar("valid", "loss", step);
            logger.writeAll(step);
        }
        assertThat(fast.lines).hasSize(20);
        assertThat(slow.lines).hasSize(4);
    }

    @Test
    void fansOutToRunTrainLogFileAndConsole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("log.json");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        try (Stepwise stepwise = Stepwise.builder().environment(Map.of()).mode(Mode.OFFLINE).project("vision")
                .spoolDir(dir.resolve("spool")).shutdownHook(false).build()) {
            Run run = stepwise.newRun().start();
            try (MetricsLogger logger = MetricsLogger.builder().sink(LogSink.run(run))
                    .sink(LogSink.trainLogFile(file, "demo")).sink(LogSink.console(new PrintStream(console))).build()) {
                logger.config(Map.of("lr", 0.01));
                logger.namespace("train").scalar("loss", 2.0);
                logger.write("train", 0);
                logger.namespace("train").scalar("loss", 1.0);
                logger.namespace("valid").scalar("loss", 1.5);
                logger.writeAll(10);
            }
            assertThat(run.lastStep()).isEqualTo(10);
            assertThat(stepwise.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(stepwise.stats().spooled()).isEqualTo(3);
        }
        TrainLog log = TrainLog.read(file);
        assertThat(log.title()).isEqualTo("demo");
        assertThat(log.steps()).containsExactly(0, 10);
        assertThat(log.series()).extracting(TrainLog.Series::name).containsExactly("train/loss", "valid/loss");
        assertThat(log.series().get(1).values()).containsExactly(Double.NaN, 1.5);
        assertThat(log.notes()).contains("config.lr=0.01");
        assertThat(console.toString()).contains("step 10 [valid] valid/loss=1.50000");
    }

    @Test
    void richValuesAreComputedOnlyWhenASinkUsesThemAndAtMostOnce(@TempDir Path dir) throws Exception {
        AtomicInteger images = new AtomicInteger();
        AtomicInteger matrices = new AtomicInteger();
        List<String> seen = new ArrayList<>();
        LogSink imageSink = new LogSink() {
            @Override
            public void write(String namespace, long step, Map<String, Double> scalars, Map<String, String> texts) {
            }

            @Override
            public void image(String key, long step, java.util.function.Supplier<float[][][]> chw) {
                seen.add(key + "@" + step + ":" + chw.get().length);
            }
        };
        Path file = dir.resolve("log.json");
        try (MetricsLogger logger = MetricsLogger.builder().sink(imageSink).sink(imageSink)
                .sink(LogSink.trainLogFile(file, "rich")).build()) {
            logger.image("valid", "sample", () -> {
                images.incrementAndGet();
                return new float[3][2][2];
            });
            logger.histogram("valid", "weights", () -> {
                throw new AssertionError("no sink writes histograms: never computed");
            });
            logger.confusionMatrix("valid", "cm", () -> {
                matrices.incrementAndGet();
                return ConfusionMatrix.of(new long[][] {{2, 0}, {1, 3}}, null);
            });
            logger.text("valid", "said", () -> "hello");
            assertThat(logger.write("valid", 5)).isTrue();
        }
        assertThat(images).hasValue(1);
        assertThat(matrices).hasValue(1);
        assertThat(seen).containsExactly("valid/sample@5:3", "valid/sample@5:3");
        TrainLog log = TrainLog.read(file);
        assertThat(log.note("valid/said")).contains("hello");
        assertThat(log.note("artifact.valid/cm")).contains("log.valid_cm.5.json kind=confusion_matrix desc=step 5");
        assertThat(ConfusionMatrix.read(dir.resolve("log.valid_cm.5.json")).count(1, 0)).isEqualTo(1);
    }
}
