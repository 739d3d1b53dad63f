package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.stepwise.client.testing.FakeStepwiseServer;

class TrainingCallbacksTests {

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void composedCallbacksRunInOrderAndEmptyIsTheIdentity() {
        List<String> seen = new ArrayList<>();
        TrainingCallbacks a = TrainingCallbacks.onStart(() -> seen.add("a-start"))
                .andThen(TrainingCallbacks.afterStep(e -> seen.add("a-step" + e.step())));
        TrainingCallbacks b = TrainingCallbacks.afterStep(e -> seen.add("b-step" + e.step()))
                .andThen(TrainingCallbacks.onEpochEnd(e -> seen.add("b-epoch" + e.epoch())))
                .andThen(TrainingCallbacks.onEnd(r -> seen.add("b-end" + r.steps())));
        TrainingCallbacks all = TrainingCallbacks.empty().andThen(a).andThen(b).andThen(TrainingCallbacks.empty());
        all.start();
        all.step(new TrainingCallbacks.StepEvent(0, 1, 0.5));
        all.epochEnd(new TrainingCallbacks.EpochEvent(0, 1, Map.of()));
        all.end(new TrainingCallbacks.TrainReport(1, 1, 1.0, 0.5, Map.of(), Duration.ofSeconds(1)));
        assertThat(seen).containsExactly("a-start", "a-step1", "b-step1", "b-epoch0", "b-end1");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void logToRunRecordsStepsEpochsAndTheReport() throws Exception {
        try (FakeStepwiseServer server = FakeStepwiseServer.startOnFreePort();
             Stepwise stepwise = Stepwise.builder().environment(Map.of()).baseUrl(server.url()).project("vision")
                     .spoolDir(tmp).shutdownHook(false).heartbeatInterval(Duration.ZERO).build()) {
            Run run = stepwise.newRun().start();
            ResourceSampler sampler = ResourceSampler.builder().run(run).gpuCommand(null).build();
            TrainingCallbacks callbacks = TrainingCallbacks.logTo(run)
                    .andThen(TrainingCallbacks.sampleResources(run, sampler, 2));
            callbacks.start();
            long step = 0;
            for (int epoch = 0; epoch < 2; epoch++) {
                for (int i = 0; i < 3; i++) {
                    callbacks.step(new TrainingCallbacks.StepEvent(epoch, step++, 1.0 / step, Map.of("acc", 0.5)));
                }
                callbacks.epochEnd(new TrainingCallbacks.EpochEvent(epoch, 3, Map.of("valid_loss", 0.7)));
            }
            callbacks.end(new TrainingCallbacks.TrainReport(2, 6, 2.0, 0.1, Map.of("acc", 0.9), Duration.ofSeconds(3)));
            assertThat(stepwise.flush(Duration.ofSeconds(10))).isTrue();

            List<FakeStepwiseServer.StoredPoint> pts = server.points(run.id().toString());
            assertThat(pts).filteredOn(p -> p.key().equals("train/loss")).hasSize(6)
                    .extracting(FakeStepwiseServer.StoredPoint::epoch).containsExactly(0L, 0L, 0L, 1L, 1L, 1L);
            assertThat(pts).filteredOn(p -> p.key().equals("train/acc")).hasSize(6);
            assertThat(pts).filteredOn(p -> p.key().equals("epoch/valid_loss")).hasSize(2);
            assertThat(pts).extracting(FakeStepwiseServer.StoredPoint::key)
                    .contains("final/loss", "final/initial_loss", "final/acc", "final/duration_s",
                            "system/heap_used_mb");
            assertThat(pts).filteredOn(p -> p.key().equals("system/heap_used_mb"))
                    .extracting(FakeStepwiseServer.StoredPoint::step).containsExactly(0L, 2L, 4L);
        }
    }
}
