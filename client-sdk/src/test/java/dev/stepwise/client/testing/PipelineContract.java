package dev.stepwise.client.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.client.LogSink;
import dev.stepwise.client.MetricsLogger;
import dev.stepwise.client.Run;
import dev.stepwise.client.Stats;
import dev.stepwise.client.Stepwise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The upload pipeline's contract, written once and run against two servers: an in-memory
 * exporter inside {@code client-sdk} (fast, exact control) and the real service with PostgreSQL
 * in {@code sdk-tests}. A subclass says how to build a client for its server, how to take the
 * server away and bring it back, how to lose answers, and how to read back what was stored.
 * Scenarios: every point stored exactly once; a retried batch keeps its {@code batchId}; flush
 * answers true exactly when everything is stored and false once something was dropped; config
 * set after start is merged (also while the server is away); an outage is ridden out.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class PipelineContract {

    /**
     * A client builder for the server under test: project, key, a fresh spool directory, short
     * flush interval, retries without real waits.
     *
     * @return the builder
     */
    protected abstract Stepwise.Builder client();

    /** Takes the server off the network: every request fails as if it were down. */
    protected abstract void serverDown() throws Exception;

    /** Brings the server back. */
    protected abstract void serverUp() throws Exception;

    /**
     * Makes the next metric uploads be stored by the server while the client only sees a 503.
     *
     * @param uploads how many
     */
    protected abstract void loseAnswersToNextMetricUploads(int uploads);

    /**
     * The batch id of every metric upload attempt that reached the server for a run, in order.
     *
     * @param run the run
     * @return the ids, repeated for retries and replays
     */
    protected abstract List<String> metricBatchIds(UUID run);

    /**
     * Every point stored for one key, as {@code step=value} strings ({@code value} as a double).
     *
     * @param run the run
     * @param key the key
     * @return the points in step order
     */
    protected abstract List<String> storedPoints(UUID run, String key);

    /**
     * The run's stored config, each value as its text ({@code 0.005}, {@code adam}, {@code 3}).
     *
     * @param run the run
     * @return the config
     */
    protected abstract Map<String, String> storedConfig(UUID run);

    /** From now on the server refuses this client's writes for good (as a revoked key). */
    protected abstract void refuseWrites() throws Exception;

    private static List<String> expected(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i + "=" + (double) i);
        }
        return out;
    }

    @Test
    void everyPointIsStoredExactlyOnce() {
        UUID id;
        try (Stepwise stepwise = client().batchSize(250).build()) {
            Run run = stepwise.newRun().name("exactly once").start();
            id = run.id();
            for (int i = 0; i < 2000; i++) {
                run.log(Map.of("a", (double) i, "b", (double) -i), i);
            }
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
            Stats stats = stepwise.stats();
            assertThat(stats.logged()).isEqualTo(4000);
            assertThat(stats.uploaded()).isEqualTo(4000);
            assertThat(stats.dropped()).isZero();
            assertThat(stats.pending()).isZero();
        }
        assertThat(storedPoints(id, "a")).containsExactlyElementsOf(expected(0, 2000));
        assertThat(storedPoints(id, "b")).hasSize(2000);
        assertThat(metricBatchIds(id)).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(16);
    }

    @Test
    void aRetriedBatchKeepsItsBatchIdAndIsStoredOnce() {
        UUID id;
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().name("retried").start();
            id = run.id();
            loseAnswersToNextMetricUploads(2);
            for (int i = 0; i < 100; i++) {
                run.log("loss", i, i);
            }
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(stepwise.stats().dropped()).isZero();
        }
        assertThat(storedPoints(id, "loss")).containsExactlyElementsOf(expected(0, 100));
        List<String> ids = metricBatchIds(id);
        // The first batch was stored twice over without an answer, then sent a third time: one id.
        assertThat(ids.subList(0, 3)).containsOnly(ids.get(0));
    }

    @Test
    void flushAnswersTrueWhenEverythingIsStoredAndFalseOnceSomethingWasDropped() throws Exception {
        UUID id;
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().name("dropped").start();
            id = run.id();
            for (int i = 0; i < 10; i++) {
                run.log("loss", i, i);
            }
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
            refuseWrites();
            for (int i = 10; i < 20; i++) {
                run.log("loss", i, i);
            }
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isFalse();
            Stats stats = stepwise.stats();
            assertThat(stats.dropped()).isEqualTo(10);
            assertThat(stats.droppedReasons()).hasSize(1);
            assertThat(stats.droppedReasons().keySet().iterator().next()).startsWith("rejected by the server (HTTP 4");
            assertThat(stats.pending()).isZero();
        }
        assertThat(storedPoints(id, "loss")).containsExactlyElementsOf(expected(0, 10));
    }

    @Test
    void configSetAfterStartIsMergedIntoTheRunAlsoWhileTheServerIsAway() throws Exception {
        UUID id;
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().name("config later").config("lr", 0.01).config("optimizer", "adam").start();
            id = run.id();
            run.log("loss", 1.0, 0);
            run.config("lr", 0.005);
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
            assertThat(storedConfig(id)).containsEntry("lr", "0.005").containsEntry("optimizer", "adam");
            serverDown();
            run.config(Map.of("schedule", "cosine"));
            try (MetricsLogger logger = MetricsLogger.builder().sink(LogSink.run(run)).build()) {
                logger.config(Map.of("warmup", 3));
            }
            assertThat(stepwise.flush(Duration.ofMillis(300))).isFalse();
            serverUp();
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(storedConfig(id)).containsEntry("lr", "0.005").containsEntry("optimizer", "adam")
                .containsEntry("schedule", "cosine").containsEntry("warmup", "3");
        assertThat(storedPoints(id, "loss")).containsExactly("0=1.0");
    }

    @Test
    void anOutageIsRiddenOutAndEveryPointIsStoredOnceAfterRecovery() throws Exception {
        UUID id;
        try (Stepwise stepwise = client().batchSize(100).build()) {
            Run run = stepwise.newRun().name("outage").start();
            id = run.id();
            for (int i = 0; i < 500; i++) {
                run.log("loss", i, i);
            }
            assertThat(stepwise.flush(Duration.ofSeconds(30))).isTrue();
            serverDown();
            for (int i = 500; i < 1000; i++) {
                run.log("loss", i, i);
            }
            assertThat(stepwise.flush(Duration.ofMillis(300))).isFalse();
            serverUp();
            for (int i = 1000; i < 1200; i++) {
                run.log("loss", i, i);
            }
            assertThat(stepwise.flush(Duration.ofSeconds(60))).isTrue();
            Stats stats = stepwise.stats();
            assertThat(stats.spooled()).isPositive();
            assertThat(stats.replayed()).isEqualTo(stats.spooled());
            assertThat(stats.uploaded() + stats.replayed()).isEqualTo(1200);
            assertThat(stats.dropped()).isZero();
        }
        List<String> stored = storedPoints(id, "loss");
        assertThat(stored).hasSize(1200);
        assertThat(new HashSet<>(stored)).containsExactlyInAnyOrderElementsOf(expected(0, 1200));
    }
}
