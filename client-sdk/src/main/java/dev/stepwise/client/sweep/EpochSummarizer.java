package dev.stepwise.client.sweep;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

import dev.stepwise.client.sweep.internal.ConfigFiles;

/**
 * Writes {@code epoch_log.csv} beside a {@code batch_log.csv}: one row per (epoch, mode), sorted by
 * epoch then mode, with the seed's reductions per column and {@code n_batches}, the number of
 * batch rows. Reductions, chosen by the column name (case-insensitive): {@code lr},
 * {@code learning_rate}, {@code iter_budget} → the last value; {@code grad_norm}, {@code error_min},
 * {@code error_med}, {@code error_max}, {@code iter_min}, {@code iter_med}, {@code iter_max} → the
 * median (mean of the two middle values for an even count); {@code time} → the maximum; every other
 * numeric column → the unweighted mean. Like the server's epoch summaries, mean, median and max
 * cover finite values only (a group without one gets {@code nan}); blank cells are skipped; columns
 * holding non-numbers are left out. The file is written atomically, and only when it is missing or
 * {@code batch_log.csv} is newer. Thread-safe.
 */
public final class EpochSummarizer {

    /** Columns that identify a row's group rather than hold a metric. */
    public static final String EPOCH = "epoch";
    /** The phase column ({@code train}, {@code val}, ...). */
    public static final String MODE = "mode";

    private static final Set<String> LAST = Set.of("lr", "learning_rate", "iter_budget");
    private static final Set<String> MEDIAN = Set.of("grad_norm", "error_min", "error_med", "error_max",
            "iter_min", "iter_med", "iter_max");

    private EpochSummarizer() {
    }

    /** How a column is reduced within one epoch. */
    public enum Reduction { MEAN, LAST, MEDIAN, MAX }

    /**
     * The reduction of a column.
     *
     * @param column the column name
     * @return its reduction
     */
    public static Reduction reductionOf(String column) {
        String c = column.toLowerCase(Locale.ROOT);
        if (LAST.contains(c)) {
            return Reduction.LAST;
        }
        if (MEDIAN.contains(c)) {
            return Reduction.MEDIAN;
        }
        return c.equals("time") ? Reduction.MAX : Reduction.MEAN;
    }

    /**
     * Summarizes {@code trialDir/batch_log.csv} into {@code trialDir/epoch_log.csv} unless the summary
     * is fresh.
     *
     * @param trialDir a directory holding {@code batch_log.csv}
     * @return true when {@code epoch_log.csv} was written, false when it was fresh
     * @throws IOException when the batch log cannot be read (no {@code epoch} column, a bad epoch) or
     *         the summary written
     */
    public static boolean summarize(Path trialDir) throws IOException {
        Path batch = trialDir.resolve(Trial.BATCH_LOG);
        Path epoch = trialDir.resolve(Trial.EPOCH_LOG);
        FileTime batchTime = Files.getLastModifiedTime(batch);
        if (Files.exists(epoch) && !batchTime.toInstant().isAfter(Files.getLastModifiedTime(epoch).toInstant())) {
            return false;
        }
        ConfigFiles.writeAtomically(epoch, render(batch).getBytes(StandardCharsets.UTF_8));
        return true;
    }

    /**
     * Computes the {@code epoch_log.csv} text of a batch log.
     *
     * @param batchLog the {@code batch_log.csv}
     * @return the CSV text, header first
     * @throws IOException when it cannot be read
     */
    public static String render(Path batchLog) throws IOException {
        List<String> header;
        List<CSVRecord> records;
        try (Reader r = Files.newBufferedReader(batchLog, StandardCharsets.UTF_8);
                CSVParser p = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            header = p.getHeaderNames();
            records = p.getRecords();
        }
        if (!header.contains(EPOCH)) {
            throw new IOException(batchLog + ": no '" + EPOCH + "' column");
        }
        boolean hasMode = header.contains(MODE);
        List<String> metrics = new ArrayList<>();
        for (String c : header) {
            if (!c.equals(EPOCH) && !c.equals(MODE) && numeric(records, c)) {
                metrics.add(c);
            }
        }
        record GroupKey(long epoch, String mode) {}
        Map<GroupKey, List<CSVRecord>> groups = new TreeMap<>((a, b) -> a.epoch() != b.epoch()
                ? Long.compare(a.epoch(), b.epoch()) : a.mode().compareTo(b.mode()));
        for (CSVRecord rec : records) {
            String e = rec.isSet(EPOCH) ? rec.get(EPOCH).trim() : "";
            if (e.isEmpty()) {
                continue;
            }
            groups.computeIfAbsent(new GroupKey(epochOf(e, batchLog, rec), hasMode ? rec.get(MODE) : ""),
                    k -> new ArrayList<>()).add(rec);
        }
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get())) {
            List<String> cols = new ArrayList<>();
            cols.add(EPOCH);
            if (hasMode) {
                cols.add(MODE);
            }
            cols.addAll(metrics);
            cols.add("n_batches");
            printer.printRecord(cols);
            for (Map.Entry<GroupKey, List<CSVRecord>> g : groups.entrySet()) {
                List<String> row = new ArrayList<>();
                row.add(Long.toString(g.getKey().epoch()));
                if (hasMode) {
                    row.add(g.getKey().mode());
                }
                for (String c : metrics) {
                    row.add(reduce(c, g.getValue()));
                }
                row.add(Integer.toString(g.getValue().size()));
                printer.printRecord(row);
            }
        }
        return out.toString();
    }

    private static String reduce(String column, List<CSVRecord> rows) {
        List<String> cells = new ArrayList<>();
        for (CSVRecord r : rows) {
            String v = r.isSet(column) ? r.get(column).trim() : "";
            if (!v.isEmpty()) {
                cells.add(v);
            }
        }
        Reduction reduction = reductionOf(column);
        if (reduction == Reduction.LAST) {
            return cells.isEmpty() ? "" : cells.get(cells.size() - 1);
        }
        double[] finite = cells.stream().mapToDouble(EpochSummarizer::parse).filter(Double::isFinite).toArray();
        if (cells.isEmpty()) {
            return "";
        }
        if (finite.length == 0) {
            return "nan";
        }
        return format(switch (reduction) {
            case MAX -> Arrays.stream(finite).max().orElseThrow();
            case MEDIAN -> median(finite);
            default -> Arrays.stream(finite).sum() / finite.length;
        });
    }

    /**
     * The median of values: the middle one, or the mean of the two middle ones for an even count.
     *
     * @param values at least one value (not changed)
     * @return the median
     */
    public static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v) + ".0";
        }
        return Double.toString(v);
    }

    private static long epochOf(String cell, Path file, CSVRecord rec) throws IOException {
        try {
            double d = Double.parseDouble(cell);
            if (d < 0 || d != Math.rint(d)) {
                throw new NumberFormatException();
            }
            return (long) d;
        } catch (NumberFormatException e) {
            throw new IOException(file + " line " + rec.getRecordNumber() + ": epoch '" + cell
                    + "' is not a whole number >= 0");
        }
    }

    private static boolean numeric(List<CSVRecord> records, String column) {
        boolean any = false;
        for (CSVRecord r : records) {
            String v = r.isSet(column) ? r.get(column).trim() : "";
            if (v.isEmpty()) {
                continue;
            }
            if (Double.isNaN(parse(v)) && !isNanWord(v)) {
                return false;
            }
            any = true;
        }
        return any;
    }

    /**
     * Parses a CSV cell as a number; {@code nan}, {@code inf}, {@code -inf}, {@code Infinity} in any
     * case are the non-finite values; anything else unparsable is NaN.
     *
     * @param cell the trimmed cell
     * @return the value
     */
    public static double parse(String cell) {
        String c = cell.toLowerCase(Locale.ROOT);
        switch (c) {
            case "nan": case "-nan": case "+nan": return Double.NaN;
            case "inf": case "+inf": case "infinity": case "+infinity": return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
            default: break;
        }
        try {
            return Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean isNanWord(String v) {
        String c = v.toLowerCase(Locale.ROOT);
        return c.equals("nan") || c.equals("-nan") || c.equals("+nan");
    }
}
