package dev.stepwise.client.internal;

import dev.stepwise.client.RetryPolicy;
import dev.stepwise.client.Stepwise;
import dev.stepwise.client.testing.PipelineContract;
import dev.stepwise.client.testing.RecordingSleeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline contract against the {@link InMemoryExporter}. */
class PipelineContractOnInMemoryExporterTests extends PipelineContract {

    @TempDir
    Path tmp;

    final InMemoryExporter server = new InMemoryExporter();

    @Override
    protected Stepwise.Builder client() {
        Stepwise.Builder b = Stepwise.builder()
                .environment(Map.of())
                .baseUrl("http://127.0.0.1:9")
                .apiKey("sw_test")
                .project("vision")
                .spoolDir(tmp.resolve("spool"))
                .shutdownHook(false)
                .closeTimeout(Duration.ofSeconds(3))
                .flushInterval(Duration.ofMillis(20))
                .heartbeatInterval(Duration.ZERO)
                .probeInterval(Duration.ZERO)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100)).build())
                .sleeper(new RecordingSleeper());
        return ClientInternals.withExporter(b, server);
    }

    @Override
    protected void serverDown() {
        server.down(true);
    }

    @Override
    protected void serverUp() {
        server.down(false);
    }

    @Override
    protected void loseAnswersToNextMetricUploads(int uploads) {
        server.loseAnswers(uploads);
    }

    @Override
    protected List<String> metricBatchIds(UUID run) {
        return server.batchAttempts(run);
    }

    @Override
    protected List<String> storedPoints(UUID run, String key) {
        return server.points(run).stream().filter(p -> p.key.equals(key))
                .sorted(java.util.Comparator.comparingLong(p -> p.step))
                .map(p -> p.step + "=" + p.value).toList();
    }

    @Override
    protected Map<String, String> storedConfig(UUID run) {
        Map<String, String> out = new LinkedHashMap<>();
        server.config(run).forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    @Override
    protected void refuseWrites() {
        server.refuseWrites();
    }
}
