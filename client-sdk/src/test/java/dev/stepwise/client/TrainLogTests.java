package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainLogTests {

    private static TrainLog parse(String json) throws IOException {
        return TrainLog.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheReferenceExample() throws IOException {
        TrainLog log = parse("""
                { "title": "Training", "steps": [0, 10, 20],
                  "series": [ { "name": "loss", "values": [2.3, "NaN", 0.9], "color": "#0a7" } ],
                  "notes": [ "project=vision", "run_name=baseline", "run_id=abc", "group=lr-sweep",
                             "tags=a,b", "config.lr=0.01",
                             "artifact.checkpoint=ckpt/model.bin kind=model desc=final weights" ] }
                """);
        assertThat(log.title()).isEqualTo("Training");
        assertThat(log.steps()).containsExactly(0, 10, 20);
        assertThat(log.series()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("loss");
            assertThat(s.values()).containsExactly(2.3, Double.NaN, 0.9);
            assertThat(s.color()).isEqualTo("#0a7");
        });
        assertThat(log.note("run_id")).contains("abc");
        assertThat(log.note("artifact.checkpoint")).contains("ckpt/model.bin kind=model desc=final weights");
    }

    @Test
    void acceptsEveryFieldMissingExceptSeriesNameAndValues() throws IOException {
        TrainLog empty = parse("{}");
        assertThat(empty.title()).isEqualTo("Training");
        assertThat(empty.steps()).isEmpty();
        assertThat(empty.series()).isEmpty();
        assertThat(empty.notes()).isEmpty();

        TrainLog bare = parse("{\"series\":[{\"name\":\"acc\",\"values\":[0.1,0.2]}]}");
        assertThat(bare.series().get(0).color()).isEqualTo("#0a7");
        assertThat(bare.stepAt(1)).isEqualTo(1);
    }

    @Test
    void rejectsNonArraySeriesWithAClearError() {
        assertThatThrownBy(() -> parse("{\"series\":{\"name\":\"loss\"}}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'series' must be an array");
        assertThatThrownBy(() -> parse("{\"series\":\"loss\"}"))
                .hasMessageContaining("'series' must be an array");
    }

    @Test
    void rejectsSeriesWithoutNameOrValues() {
        assertThatThrownBy(() -> parse("{\"series\":[{\"values\":[1]}]}"))
                .isInstanceOf(IOException.class).hasMessageContaining("series[0].name");
        assertThatThrownBy(() -> parse("{\"series\":[{\"name\":\"x\"}]}"))
                .isInstanceOf(IOException.class).hasMessageContaining("series[0].values");
        assertThatThrownBy(() -> parse("{\"series\":[{\"name\":\"x\",\"values\":[\"oops\"]}]}"))
                .isInstanceOf(IOException.class).hasMessageContaining("series[0].values[0]");
    }

    @Test
    void rejectsDocumentsThatAreNotObjects() {
        assertThatThrownBy(() -> parse("[1,2]")).isInstanceOf(IOException.class).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parse("{")).isInstanceOf(IOException.class);
    }

    @Test
    void nonFiniteValuesRoundTripAsSentinels(@TempDir Path dir) throws IOException {
        TrainLog log = TrainLog.builder().title("t").steps(0, 1, 2, 3)
                .series(TrainLog.Series.create("v", "#123", Double.NaN, Double.POSITIVE_INFINITY,
                        Double.NEGATIVE_INFINITY, 1.5))
                .note("run_id=x").build();
        String json = new String(log.toJson(), StandardCharsets.UTF_8);
        assertThat(json).contains("[\"NaN\",\"Infinity\",\"-Infinity\",1.5]");
        Path file = dir.resolve("nested/log.json");
        log.write(file);
        assertThat(TrainLog.read(file)).isEqualTo(log);
        assertThat(Files.readString(file)).startsWith("{\"title\":\"t\"");
    }

    @Test
    void sparsePointsAreAlignedOnTheUnionOfStepsWithNaNWhereASeriesDidNotReport(@TempDir Path dir)
            throws IOException {
        TrainLog log = TrainLog.builder().title("aligned")
                .point("loss", 10, 0.5).point("acc", 0, 0.1).point("loss", 0, 0.9).point("loss", 10, 0.4)
                .note(TrainLog.configNote("lr", 0.01)).note(TrainLog.configNote("opt", "adam"))
                .note(TrainLog.artifactNote("ckpt", "model.bin", "model", null))
                .build();
        assertThat(log.steps()).containsExactly(0, 10);
        assertThat(log.series()).extracting(TrainLog.Series::name).containsExactly("loss", "acc");
        assertThat(log.series().get(0).values()).containsExactly(0.9, 0.4);
        assertThat(log.series().get(1).values()).containsExactly(0.1, Double.NaN);
        assertThat(log.notes()).containsExactly("config.lr=0.01", "config.opt=adam", "artifact.ckpt=model.bin kind=model");
        Path file = dir.resolve("sub/log.json");
        log.write(file);
        assertThat(TrainLog.read(file)).isEqualTo(log);
        assertThat(Files.list(file.getParent())).containsExactly(file);
        assertThatThrownBy(() -> TrainLog.builder().steps(0).point("a", 0, 1).build())
                .isInstanceOf(IllegalStateException.class);
    }
}
