package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionMatrixTests {

    @Test
    void writesAndReadsTheTrainLogCodecsJsonArrayOfRows(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("eval/cm.json");
        ConfusionMatrix.write(file, new long[][] {{5, 1, 0}, {0, 7, 2}, {1, 0, 9}});
        assertThat(Files.readString(file)).isEqualTo("[[5,1,0],[0,7,2],[1,0,9]]");
        ConfusionMatrix m = ConfusionMatrix.read(file);
        assertThat(m.size()).isEqualTo(3);
        assertThat(m.count(1, 2)).isEqualTo(2);
        assertThat(m.labels()).isEmpty();
        assertThat(ConfusionMatrix.parse(" [ [1, 2],\n [3, 4.0] ] ".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(ConfusionMatrix.of(new long[][] {{1, 2}, {3, 4}}, null));
    }

    @Test
    void refusesWhatIsNotASquareMatrixOfCounts() {
        assertThatThrownBy(() -> ConfusionMatrix.parse("{\"matrix\": []}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("array of rows");
        assertThatThrownBy(() -> ConfusionMatrix.parse("[[1, 2], [3]]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("square");
        assertThatThrownBy(() -> ConfusionMatrix.parse("[[1.5]]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class).hasMessageContaining("integer");
        assertThatThrownBy(() -> ConfusionMatrix.of(new long[][] {{1}}, List.of("a", "b")))
                .hasMessageContaining("labels");
    }
}
