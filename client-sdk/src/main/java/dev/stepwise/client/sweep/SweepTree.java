package dev.stepwise.client.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Lists the trial directories below an output root ({@code out/log}). Thread-safe. */
public final class SweepTree {

    private static final Pattern TRIAL = Pattern.compile("trial_(\\d+)");

    private SweepTree() {
    }

    /**
     * Every {@code <mode>/<dataset>/<model>/<trainer>/trial_###} directory below {@code outRoot} that
     * the filter selects, in path and number order.
     *
     * @param outRoot the output root
     * @param filter which trials
     * @return the trials; empty when the root does not exist
     * @throws IOException when the tree cannot be read
     */
    public static List<Trial> trials(Path outRoot, TrialFilter filter) throws IOException {
        List<Trial> trials = new ArrayList<>();
        if (!Files.isDirectory(outRoot)) {
            return trials;
        }
        try (Stream<Path> dirs = Files.walk(outRoot, 5)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                Path rel = outRoot.relativize(d);
                Matcher m = TRIAL.matcher(d.getFileName().toString());
                if (rel.getNameCount() != 5 || !m.matches()) {
                    continue;
                }
                Trial t = new Trial(rel.getName(0).toString(), rel.getName(1).toString(), rel.getName(2).toString(),
                        rel.getName(3).toString(), Integer.parseInt(m.group(1)), d);
                if (filter.test(t)) {
                    trials.add(t);
                }
            }
        }
        trials.sort(Comparator.comparing(Trial::group).thenComparingInt(Trial::number));
        return trials;
    }
}
