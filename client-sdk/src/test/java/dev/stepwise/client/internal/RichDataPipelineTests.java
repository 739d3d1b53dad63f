package dev.stepwise.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.client.Graph;
import dev.stepwise.client.RetryPolicy;
import dev.stepwise.client.Run;
import dev.stepwise.client.Stats;
import dev.stepwise.client.Stepwise;
import dev.stepwise.client.testing.RecordingSleeper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Rich items through the pipeline, on the {@link InMemoryExporter}. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RichDataPipelineTests {

    @TempDir
    Path tmp;

    final InMemoryExporter server = new InMemoryExporter();

    private Stepwise.Builder client() {
        return ClientInternals.withExporter(Stepwise.builder()
                .environment(Map.of())
                .baseUrl("http://127.0.0.1:9")
                .project("vision")
                .spoolDir(tmp.resolve("spool"))
                .shutdownHook(false)
                .closeTimeout(Duration.ofSeconds(3))
                .flushInterval(Duration.ofMillis(20))
                .heartbeatInterval(Duration.ZERO)
                .probeInterval(Duration.ZERO)
                .retryPolicy(RetryPolicy.builder().maxAttempts(3).build())
                .sleeper(new RecordingSleeper()), server);
    }

    private List<Path> spoolFiles() throws IOException {
        Path dir = tmp.resolve("spool");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("sw-")).toList();
        }
    }

    @Test
    void everyKindIsUploadedWithItsBlobBeforeTheItemThatNamesIt() {
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.setEpoch(2);
            run.image("samples/digit", 1, new float[][] {{0f, 1f}, {0.5f, 0.25f}});
            run.histogram("weights/fc1", 1, new double[] {1, 2, 3, 4});
            run.text("samples/text", 1, "the model said hi");
            run.audio("speech", 1, new float[] {0f, 0.5f}, 16000);
            run.video("rollout", 1, "GIF89a....".getBytes(), 12);
            run.pointCloud("lidar", 1, new float[][] {{1, 2, 3}, {4, 5, 6, 255, 0, 0}});
            run.graph("model", Graph.builder().node("x").node("fc", "fc1", "Linear", "[32, 10]").edge("x", "fc").build());
            run.confusionMatrix("val/cm", 1, new long[][] {{3, 1}, {0, 4}}, List.of("cat", "dog"));
            run.table("predictions", 1, List.of("id", "label"), List.of(List.of(1, "cat"), List.of(2, "dog")));
            assertThat(stepwise.flush(Duration.ofSeconds(20))).isTrue();
            List<MediaItem> items = server.media(run.id());
            assertThat(items).extracting(MediaItem::type).containsExactly("image", "histogram", "text", "audio",
                    "video", "point_cloud", "graph", "confusion_matrix", "table");
            assertThat(items).allSatisfy(i -> assertThat(i.epoch()).isEqualTo(2));
            MediaItem image = items.get(0);
            assertThat(image.contentType()).isEqualTo("image/png");
            assertThat(image.data()).containsEntry("width", 2).containsEntry("height", 2);
            assertThat(server.blob(image.sha256())).isEqualTo(image.blob());
            assertThat(items.get(1).data().get("counts")).isEqualTo(List.of(1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L,
                    1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L));
            assertThat(items.get(3).contentType()).isEqualTo("audio/wav");
            assertThat(items.get(4).contentType()).isEqualTo("image/gif");
            assertThat(items.get(7).data()).containsEntry("labels", List.of("cat", "dog"))
                    .containsEntry("matrix", List.of(List.of(3L, 1L), List.of(0L, 4L)));
            List<String> requests = server.requests();
            for (MediaItem withBlob : List.of(items.get(0), items.get(3), items.get(4))) {
                int put = requests.indexOf("PUT blob " + withBlob.sha256());
                assertThat(put).isNotNegative();
                assertThat(requests.get(put + 1)).startsWith("POST media ");
            }
            Stats.Media media = stepwise.stats().media();
            assertThat(media.logged()).isEqualTo(9);
            assertThat(media.uploaded()).isEqualTo(9);
            assertThat(media.dropped()).isZero();
        }
    }

    @Test
    void aRetriedItemKeepsItsBatchIdAndIsStoredOnce() {
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            server.loseMediaAnswers(2);
            run.image("samples", 0, new float[][] {{1f}});
            assertThat(stepwise.flush(Duration.ofSeconds(20))).isTrue();
            List<String> ids = server.mediaAttempts(run.id());
            assertThat(ids).hasSize(3).containsOnly(ids.get(0));
            assertThat(server.media(run.id())).hasSize(1);
        }
    }

    @Test
    void itemsLoggedWhileTheServerIsDownAreSpooledWithTheirBytesAndReplayedOnce() throws IOException {
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            server.down(true);
            byte[] png = MediaEncoding.png(MediaEncoding.image(new float[][] {{0.1f, 0.9f}}));
            run.image("samples", 3, png);
            run.text("notes", 3, "while away");
            assertThat(stepwise.flush(Duration.ofMillis(300))).isFalse();
            assertThat(spoolFiles()).anySatisfy(f -> assertThat(f.toString()).endsWith("-media.blob"));
            assertThat(stepwise.stats().media().spooled()).isEqualTo(2);
            server.down(false);
            assertThat(stepwise.flush(Duration.ofSeconds(20))).isTrue();
            List<MediaItem> items = server.media(run.id());
            assertThat(items).extracting(MediaItem::type).containsExactly("image", "text");
            assertThat(items.get(0).blob()).isEqualTo(png);
            assertThat(server.blob(MediaItem.sha256(png))).isEqualTo(png);
            assertThat(items.get(1).data()).containsEntry("text", "while away");
            assertThat(stepwise.stats().media().replayed()).isEqualTo(2);
        }
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void invalidItemsAreDroppedCountedAndMakeFlushFalseWithoutThrowing() {
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.image("svg", 0, "<svg/>".getBytes());
            run.confusionMatrix("cm", 0, new long[][] {{1, 2}}, null);
            run.histogram("", 0, new double[] {1});
            assertThat(stepwise.flush(Duration.ofSeconds(20))).isFalse();
            Stats.Media media = stepwise.stats().media();
            assertThat(media.logged()).isEqualTo(3);
            assertThat(media.dropped()).isEqualTo(3);
            assertThat(media.droppedReasons()).containsOnlyKeys("encoding failed", "invalid confusion matrix",
                    "invalid key");
            assertThat(server.media(run.id())).isEmpty();
        }
    }

    @Test
    void unreadableArgumentsAreDroppedAndCountedNeverThrown() {
        try (Stepwise stepwise = client().build()) {
            Run run = stepwise.newRun().start();
            run.image("null-bytes", 0, (byte[]) null);
            run.image("ragged", 0, new float[][][] {{{0.5f, 0.5f}}, {}});
            run.histogram("null-values", 0, (double[]) null);
            run.audio("null-samples", 0, null, 16_000);
            run.table("null-rows", 0, java.util.List.of("a"), null);
            run.graph("null-graph", null);
            assertThat(stepwise.flush(Duration.ofSeconds(20))).isFalse();
            Stats.Media media = stepwise.stats().media();
            assertThat(media.dropped()).isEqualTo(6);
            assertThat(server.media(run.id())).isEmpty();
        }
    }
}
