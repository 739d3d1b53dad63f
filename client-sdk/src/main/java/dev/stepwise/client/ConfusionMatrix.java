package dev.stepwise.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.stepwise.client.internal.Json;

/**
 * A classification confusion matrix: square counts, row = true class, column = predicted class,
 * with optional class labels. {@link #write(Path, ConfusionMatrix)} and {@link #read(Path)} speak
 * the TrainLog codec's confusion-matrix JSON (seed 000): a JSON array of rows of counts,
 * {@code [[5, 1], [0, 7]]}; labels are not part of that file format. Logged to a run with
 * {@link Run#confusionMatrix(String, long, long[][], List)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConfusionMatrix {

    private final long[][] counts;
    private final List<String> labels;

    private ConfusionMatrix(long[][] counts, List<String> labels) {
        this.counts = counts;
        this.labels = labels;
    }

    /**
     * Creates a matrix, validating its shape.
     *
     * @param counts square counts, row = true class; copied
     * @param labels one label per class, or empty / {@code null} for none
     * @return the matrix
     * @throws IllegalArgumentException when the matrix is empty, not square, has a negative count,
     *                                  or the labels do not match its size
     */
    public static ConfusionMatrix of(long[][] counts, List<String> labels) {
        Objects.requireNonNull(counts, "counts");
        int n = counts.length;
        if (n == 0) {
            throw new IllegalArgumentException("a confusion matrix needs at least one class");
        }
        long[][] copy = new long[n][];
        for (int i = 0; i < n; i++) {
            if (counts[i] == null || counts[i].length != n) {
                throw new IllegalArgumentException("a confusion matrix must be square: row " + i + " has "
                        + (counts[i] == null ? 0 : counts[i].length) + " counts, expected " + n);
            }
            for (long c : counts[i]) {
                if (c < 0) {
                    throw new IllegalArgumentException("counts must be >= 0, row " + i + " has " + c);
                }
            }
            copy[i] = counts[i].clone();
        }
        List<String> l = labels == null ? List.of() : List.copyOf(labels);
        if (!l.isEmpty() && l.size() != n) {
            throw new IllegalArgumentException(l.size() + " labels for " + n + " classes");
        }
        return new ConfusionMatrix(copy, l);
    }

    /** @return the number of classes */
    public int size() {
        return counts.length;
    }

    /** @return a copy of the counts, row = true class */
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    /**
     * @param trueClass the row
     * @param predicted the column
     * @return how often {@code trueClass} was predicted as {@code predicted}
     */
    public long count(int trueClass, int predicted) {
        return counts[trueClass][predicted];
    }

    /** @return the class labels, empty when none were given */
    public List<String> labels() {
        return labels;
    }

    /** @return the matrix as JSON rows, the body of the TrainLog file format */
    public byte[] toJson() {
        return Json.toBytes(rows());
    }

    List<List<Long>> rows() {
        List<List<Long>> rows = new ArrayList<>();
        for (long[] row : counts) {
            List<Long> r = new ArrayList<>(row.length);
            for (long c : row) {
                r.add(c);
            }
            rows.add(r);
        }
        return rows;
    }

    /**
     * Parses the TrainLog confusion-matrix JSON: an array of rows of counts.
     *
     * @param json UTF-8 JSON bytes
     * @return the matrix, without labels
     * @throws IOException when the bytes are not a square array of non-negative integer counts
     */
    public static ConfusionMatrix parse(byte[] json) throws IOException {
        Object root = Json.read(json);
        if (!(root instanceof List<?> rows)) {
            throw new IOException("not a confusion matrix: the document must be a JSON array of rows, got "
                    + (root instanceof Map ? "an object" : String.valueOf(root)));
        }
        long[][] counts = new long[rows.size()][];
        for (int i = 0; i < counts.length; i++) {
            if (!(rows.get(i) instanceof List<?> row)) {
                throw new IOException("not a confusion matrix: row " + i + " must be an array of counts");
            }
            counts[i] = new long[row.size()];
            for (int j = 0; j < row.size(); j++) {
                Object v = row.get(j);
                if (!(v instanceof Long) && !(v instanceof Double d && d == Math.rint(d))) {
                    throw new IOException("not a confusion matrix: [" + i + "][" + j + "] must be an integer, got " + v);
                }
                counts[i][j] = ((Number) v).longValue();
            }
        }
        try {
            return of(counts, List.of());
        } catch (IllegalArgumentException e) {
            throw new IOException("not a confusion matrix: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a confusion-matrix JSON file.
     *
     * @param file the file
     * @return the matrix, without labels
     * @throws IOException when the file cannot be read or is not a confusion matrix
     */
    public static ConfusionMatrix read(Path file) throws IOException {
        try {
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a confusion matrix as TrainLog confusion-matrix JSON, atomically, creating parent
     * directories.
     *
     * @param file the file (replaced if it exists)
     * @param matrix the matrix; its labels are not written (the format has none)
     * @throws IOException when writing fails
     */
    public static void write(Path file, ConfusionMatrix matrix) throws IOException {
        TrainLog.writeAtomically(file, matrix.toJson());
    }

    /**
     * Writes counts as TrainLog confusion-matrix JSON, atomically.
     *
     * @param file the file (replaced if it exists)
     * @param counts square counts, row = true class
     * @throws IOException when writing fails
     * @throws IllegalArgumentException when the counts are not a valid matrix
     */
    public static void write(Path file, long[][] counts) throws IOException {
        write(file, of(counts, List.of()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && java.util.Arrays.deepEquals(counts, m.counts) && labels.equals(m.labels);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.deepHashCode(counts) + labels.hashCode();
    }

    @Override
    public String toString() {
        return "ConfusionMatrix" + labels + java.util.Arrays.deepToString(counts);
    }
}
