package dev.stepwise.client.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EpochSummarizerTests {

    @TempDir
    Path dir;

    private static List<CSVRecord> read(Path f) throws IOException {
        try (Reader r = Files.newBufferedReader(f)) {
            return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r).getRecords();
        }
    }

    @Test
    void reductionsMatchAReferenceComputation() throws IOException {
        Random random = new Random(42);
        StringBuilder csv = new StringBuilder("epoch,mode,batch,loss,acc,lr,grad_norm,time,iter_budget\n");
        // reference values, computed independently per (epoch, mode)
        record Row(int epoch, String mode, double loss, double acc, double lr, double grad, double time, int budget) {}
        List<Row> rows = new ArrayList<>();
        double clock = 0;
        for (int epoch = 0; epoch < 3; epoch++) {
            for (String mode : List.of("train", "val")) {
                int batches = mode.equals("train") ? 4 + epoch : 3;
                for (int b = 0; b < batches; b++) {
                    clock += random.nextDouble();
                    Row row = new Row(epoch, mode, random.nextDouble() * 3, random.nextDouble(), 0.1 / (epoch + 1 + b),
                            random.nextDouble() * 10, clock, 100 + b);
                    rows.add(row);
                    csv.append(epoch).append(',').append(mode).append(',').append(b).append(',').append(row.loss())
                            .append(',').append(row.acc()).append(',').append(row.lr()).append(',').append(row.grad())
                            .append(',').append(row.time()).append(',').append(row.budget()).append('\n');
                }
            }
        }
        Files.writeString(dir.resolve("batch_log.csv"), csv);

        assertThat(EpochSummarizer.summarize(dir)).isTrue();

        List<CSVRecord> out = read(dir.resolve("epoch_log.csv"));
        assertThat(out).hasSize(6);
        for (CSVRecord r : out) {
            int epoch = Integer.parseInt(r.get("epoch"));
            String mode = r.get("mode");
            List<Row> g = rows.stream().filter(x -> x.epoch() == epoch && x.mode().equals(mode)).toList();
            assertThat(Integer.parseInt(r.get("n_batches"))).isEqualTo(g.size());
            assertThat(Double.parseDouble(r.get("loss")))
                    .isCloseTo(g.stream().mapToDouble(Row::loss).average().orElseThrow(), within(1e-12));
            assertThat(Double.parseDouble(r.get("acc")))
                    .isCloseTo(g.stream().mapToDouble(Row::acc).average().orElseThrow(), within(1e-12));
            assertThat(Double.parseDouble(r.get("lr"))).isEqualTo(g.get(g.size() - 1).lr());
            assertThat(Double.parseDouble(r.get("iter_budget"))).isEqualTo(g.get(g.size() - 1).budget());
            double[] grads = g.stream().mapToDouble(Row::grad).sorted().toArray();
            double median = grads.length % 2 == 1 ? grads[grads.length / 2]
                    : (grads[grads.length / 2 - 1] + grads[grads.length / 2]) / 2;
            assertThat(Double.parseDouble(r.get("grad_norm"))).isCloseTo(median, within(1e-12));
            assertThat(Double.parseDouble(r.get("time"))).isEqualTo(g.stream().mapToDouble(Row::time).max().orElseThrow());
        }
        assertThat(out).extracting(r -> r.get("epoch") + "/" + r.get("mode"))
                .containsExactly("0/train", "0/val", "1/train", "1/val", "2/train", "2/val");
    }

    @Test
    void nonFiniteAndBlankCellsAreSkippedAndTextColumnsLeftOut() throws IOException {
        Files.writeString(dir.resolve("batch_log.csv"),
                "epoch,mode,loss,note\n0,train,1.0,a\n0,train,nan,b\n0,train,3.0,c\n0,val,,d\n1,train,nan,e\n");

        EpochSummarizer.summarize(dir);

        List<CSVRecord> out = read(dir.resolve("epoch_log.csv"));
        assertThat(out.get(0).toMap()).containsEntry("loss", "2.0").containsEntry("n_batches", "3")
                .doesNotContainKey("note");
        assertThat(out.get(1).get("loss")).isEmpty();
        assertThat(out.get(2).get("loss")).isEqualTo("nan");
    }

    @Test
    void regeneratesOnlyWhenTheBatchLogIsNewer() throws IOException {
        Path batch = dir.resolve("batch_log.csv");
        Path epoch = dir.resolve("epoch_log.csv");
        Files.writeString(batch, "epoch,loss\n0,1\n0,3\n");
        Files.setLastModifiedTime(batch, FileTime.fromMillis(1_000_000));
        assertThat(EpochSummarizer.summarize(dir)).isTrue();
        Files.setLastModifiedTime(epoch, FileTime.fromMillis(2_000_000));

        Files.writeString(batch, "epoch,loss\n0,1\n0,3\n1,5\n");
        Files.setLastModifiedTime(batch, FileTime.fromMillis(1_500_000));
        assertThat(EpochSummarizer.summarize(dir)).isFalse();
        assertThat(read(epoch)).hasSize(1);

        Files.setLastModifiedTime(batch, FileTime.fromMillis(3_000_000));
        assertThat(EpochSummarizer.summarize(dir)).isTrue();
        assertThat(read(epoch)).extracting(r -> r.get("loss")).containsExactly("2.0", "5.0");
    }

    @Test
    void writesAtomicallyLeavingNoTemporaryFiles() throws IOException {
        Files.writeString(dir.resolve("batch_log.csv"), "epoch,loss\n0,1\n");
        Files.writeString(dir.resolve("epoch_log.csv"), "stale");
        Files.setLastModifiedTime(dir.resolve("epoch_log.csv"), FileTime.fromMillis(0));

        EpochSummarizer.summarize(dir);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("batch_log.csv", "epoch_log.csv");
        }
        assertThat(Files.readString(dir.resolve("epoch_log.csv"))).isEqualTo("epoch,loss,n_batches\n0,1.0,1\n");
    }

    @Test
    void aBatchLogWithoutEpochsFailsClearlyAndKeepsTheOldSummary() throws IOException {
        Files.writeString(dir.resolve("batch_log.csv"), "step,loss\n0,1\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EpochSummarizer.summarize(dir))
                .isInstanceOf(IOException.class).hasMessageContaining("epoch");
        assertThat(dir.resolve("epoch_log.csv")).doesNotExist();
        assertThat(EpochSummarizer.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(Arrays.asList(EpochSummarizer.reductionOf("LR"), EpochSummarizer.reductionOf("iter_med"),
                EpochSummarizer.reductionOf("time"), EpochSummarizer.reductionOf("loss")))
                .containsExactly(EpochSummarizer.Reduction.LAST, EpochSummarizer.Reduction.MEDIAN,
                        EpochSummarizer.Reduction.MAX, EpochSummarizer.Reduction.MEAN);
    }
}
