package dev.stepwise.client.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.stepwise.client.sweep.SweepRuleException.Violation;
import dev.stepwise.client.sweep.internal.ConfigFiles;

/**
 * Expands a config tree {@code cfg/<mode>/<dataset>/<model>/<trainer>/cfg.yaml} into trial
 * directories {@code out/<mode>/<dataset>/<model>/<trainer>/trial_###/cfg.yaml}, by the rules of the
 * seed's sweep runner:
 * <ul>
 *   <li>each leaf {@code cfg.yaml} is merged with every ancestor {@code cfg.yaml} up to the cfg root,
 *       shallowly: a child's top-level key replaces the parent's;</li>
 *   <li>every top-level list value is an axis, except the structural keys {@link #STRUCTURAL_KEYS};
 *       trials are the Cartesian product of the axes (the last axis varies fastest, the seed axis
 *       last of all); a list-valued {@code seed} is the seed axis; otherwise a scalar {@code seed} is
 *       required;</li>
 *   <li>sweep mode: {@code seed} must be scalar; experiment mode: only {@code seed} may be a list;</li>
 *   <li>numbering is stable: a hidden manifest ({@link #MANIFEST}) beside the trials records each
 *       trial's axis values, and expanding again gives the same combination the same number (new
 *       combinations get the next free numbers); every trial's {@code cfg.yaml} is regenerated, so
 *       parent edits propagate; files are written atomically and only when their content changes.</li>
 * </ul>
 * The whole tree is checked before anything is written. Immutable and thread-safe; concurrent
 * expansions of one output tree are not coordinated.
 */
public final class SweepExpander {

    /** The modes a config tree may hold. */
    public static final List<String> MODES = List.of("sweep", "experiment");
    /** Keys whose list values are structure, not axes. */
    public static final Set<String> STRUCTURAL_KEYS = Set.of("batch_metrics");
    /** The seed key. */
    public static final String SEED = "seed";
    /** The manifest of trial numbers in each {@code out/<mode>/<dataset>/<model>/<trainer>} directory. */
    public static final String MANIFEST = ".stepwise-trials.yaml";

    private final Path cfgRoot;
    private final Path outRoot;
    private final TrialFilter filter;

    private SweepExpander(Builder b) {
        this.cfgRoot = b.cfgRoot;
        this.outRoot = b.outRoot;
        this.filter = b.filter;
    }

    /** @return a builder with {@code cfg}, {@code out/log} and every trial selected */
    public static Builder builder() {
        return new Builder();
    }

    /** What one expansion did. */
    public record Result(List<ExpandedTrial> trials, int written, int unchanged) {}

    /**
     * One expanded trial.
     *
     * @param trial the trial directory
     * @param config the resolved configuration, as written
     * @param axes the axis values that tell this trial from its siblings
     * @param written whether its {@code cfg.yaml} was (re)written by this expansion
     */
    public record ExpandedTrial(Trial trial, Map<String, Object> config, Map<String, Object> axes, boolean written) {}

    private record Leaf(Path file, String mode, String dataset, String model, String trainer) {}

    private record Plan(Leaf leaf, Map<String, Object> base, List<String> axes) {}

    /**
     * Checks the whole tree, then writes every selected trial.
     *
     * @return the trials in tree order and number order
     * @throws SweepRuleException when a leaf breaks a rule (nothing is written then)
     * @throws IOException when the tree cannot be read or the output written
     */
    public Result expand() throws SweepRuleException, IOException {
        List<Plan> plans = plan();
        List<ExpandedTrial> trials = new ArrayList<>();
        int written = 0;
        for (Plan plan : plans) {
            for (ExpandedTrial t : write(plan)) {
                trials.add(t);
                written += t.written() ? 1 : 0;
            }
        }
        return new Result(trials, written, trials.size() - written);
    }

    private List<Plan> plan() throws SweepRuleException, IOException {
        if (!Files.isDirectory(cfgRoot)) {
            throw new SweepRuleException(List.of(new Violation(cfgRoot, null, "no such config directory")));
        }
        List<Violation> violations = new ArrayList<>();
        List<Plan> plans = new ArrayList<>();
        for (Leaf leaf : leaves(violations)) {
            if (!filter.accepts(leaf.mode(), leaf.dataset(), leaf.model(), leaf.trainer())) {
                continue;
            }
            Plan plan = resolve(leaf, violations);
            if (plan != null) {
                plans.add(plan);
            }
        }
        if (!violations.isEmpty()) {
            throw new SweepRuleException(violations);
        }
        return plans;
    }

    private List<Leaf> leaves(List<Violation> violations) throws IOException {
        List<Leaf> leaves = new ArrayList<>();
        try (Stream<Path> files = Files.walk(cfgRoot)) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals(Trial.CFG_FILE))
                    .filter(Files::isRegularFile).sorted().toList()) {
                Path rel = cfgRoot.relativize(f);
                if (rel.getNameCount() != 5) {
                    continue; // the root's or an ancestor's cfg.yaml
                }
                String mode = rel.getName(0).toString();
                if (!MODES.contains(mode)) {
                    violations.add(new Violation(f, null, "mode directory '" + mode + "' is not one of " + MODES));
                    continue;
                }
                leaves.add(new Leaf(f, mode, rel.getName(1).toString(), rel.getName(2).toString(),
                        rel.getName(3).toString()));
            }
        }
        return leaves;
    }

    private Plan resolve(Leaf leaf, List<Violation> violations) {
        List<Path> chain = new ArrayList<>();
        for (Path dir = leaf.file().getParent(); ; dir = dir.getParent()) {
            Path f = dir.resolve(Trial.CFG_FILE);
            if (Files.isRegularFile(f)) {
                chain.add(0, f);
            }
            if (dir.equals(cfgRoot) || dir.getParent() == null) {
                break;
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, Path> origin = new HashMap<>();
        for (Path f : chain) {
            try {
                ConfigFiles.readMap(f).forEach((k, v) -> {
                    merged.put(k, v);
                    origin.put(k, f);
                });
            } catch (IOException e) {
                violations.add(new Violation(f, null, e.getMessage()));
                return null;
            }
        }
        int before = violations.size();
        Object seed = merged.get(SEED);
        if (seed == null) {
            violations.add(new Violation(leaf.file(), SEED,
                    "a seed is required: a scalar, or a list for a seed axis (experiment mode)"));
        } else if (seed instanceof Map<?, ?>) {
            violations.add(new Violation(origin.get(SEED), SEED, "must be a scalar or a list of scalars"));
        } else if (seed instanceof List<?> seeds && leaf.mode().equals("sweep")) {
            violations.add(new Violation(origin.get(SEED), SEED,
                    "sweep mode needs a scalar seed (seed axes belong to experiment mode)"));
        } else if (seed instanceof List<?> seeds && seeds.stream().anyMatch(s -> s == null || s instanceof Map
                || s instanceof List)) {
            violations.add(new Violation(origin.get(SEED), SEED, "every seed in the list must be a scalar"));
        }
        List<String> axes = new ArrayList<>();
        for (Map.Entry<String, Object> e : merged.entrySet()) {
            String key = e.getKey();
            if (!(e.getValue() instanceof List<?> values) || STRUCTURAL_KEYS.contains(key) || key.equals(SEED)) {
                continue;
            }
            if (leaf.mode().equals("experiment")) {
                violations.add(new Violation(origin.get(key), key,
                        "experiment mode allows only seed to be a list; make it a scalar or move the leaf to sweep/"));
            } else if (values.isEmpty()) {
                violations.add(new Violation(origin.get(key), key, "an empty list gives no trials"));
            } else {
                axes.add(key);
            }
        }
        if (seed instanceof List<?> seeds) {
            if (seeds.isEmpty()) {
                violations.add(new Violation(origin.get(SEED), SEED, "an empty seed list gives no trials"));
            }
            axes.add(SEED);
        }
        return violations.size() == before ? new Plan(leaf, merged, axes) : null;
    }

    private List<ExpandedTrial> write(Plan plan) throws IOException {
        Leaf leaf = plan.leaf();
        Path leafOut = outRoot.resolve(leaf.mode()).resolve(leaf.dataset()).resolve(leaf.model()).resolve(leaf.trainer());
        Path manifestFile = leafOut.resolve(MANIFEST);
        Map<String, Integer> numbers = new LinkedHashMap<>();
        List<Map<String, Object>> manifest = new ArrayList<>();
        if (Files.isRegularFile(manifestFile)) {
            Object entries = ConfigFiles.readMap(manifestFile).get("trials");
            if (entries instanceof List<?> list) {
                for (Object o : list) {
                    if (o instanceof Map<?, ?> m && m.get("trial") instanceof Number n && m.get("axes") instanceof Map) {
                        numbers.put(canonical((Map<?, ?>) m.get("axes")), n.intValue());
                        manifest.add(copy(m));
                    }
                }
            }
        }
        int next = numbers.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<ExpandedTrial> result = new ArrayList<>();
        for (Map<String, Object> axisValues : product(plan.base(), plan.axes())) {
            String key = canonical(axisValues);
            Integer number = numbers.get(key);
            if (number == null) {
                number = next++;
                numbers.put(key, number);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("trial", number);
                entry.put("axes", axisValues);
                manifest.add(entry);
            }
            Map<String, Object> config = new LinkedHashMap<>(plan.base());
            config.putAll(axisValues);
            Trial trial = new Trial(leaf.mode(), leaf.dataset(), leaf.model(), leaf.trainer(), number,
                    leafOut.resolve(Trial.name(number)));
            boolean written = ConfigFiles.writeIfChanged(trial.cfgFile(), ConfigFiles.toYaml(config));
            result.add(new ExpandedTrial(trial, Collections.unmodifiableMap(config),
                    Collections.unmodifiableMap(axisValues), written));
        }
        manifest.sort((a, b) -> Integer.compare(((Number) a.get("trial")).intValue(), ((Number) b.get("trial")).intValue()));
        ConfigFiles.writeIfChanged(manifestFile, ConfigFiles.toYaml(Map.of("trials", manifest)));
        result.sort((a, b) -> Integer.compare(a.trial().number(), b.trial().number()));
        return result;
    }

    private static Map<String, Object> copy(Map<?, ?> m) {
        Map<String, Object> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(String.valueOf(k), v));
        return c;
    }

    /** Axis values in axis order, the last axis varying fastest. */
    private static List<Map<String, Object>> product(Map<String, Object> base, List<String> axes) {
        List<Map<String, Object>> combos = new ArrayList<>();
        combos.add(new LinkedHashMap<>());
        for (String axis : axes) {
            List<Map<String, Object>> nextCombos = new ArrayList<>();
            for (Map<String, Object> combo : combos) {
                for (Object value : (List<?>) base.get(axis)) {
                    Map<String, Object> c = new LinkedHashMap<>(combo);
                    c.put(axis, value);
                    nextCombos.add(c);
                }
            }
            combos = nextCombos;
        }
        return combos;
    }

    private static String canonical(Map<?, ?> axes) {
        Map<String, Object> sorted = new TreeMap<>();
        axes.forEach((k, v) -> sorted.put(String.valueOf(k), v));
        return ConfigFiles.toFlowYaml(sorted);
    }

    /** Builds a {@link SweepExpander}. Not thread-safe. */
    public static final class Builder {
        private Path cfgRoot = Path.of("cfg");
        private Path outRoot = Path.of("out", "log");
        private TrialFilter filter = TrialFilter.ALL;

        private Builder() {
        }

        /**
         * The config tree root.
         *
         * @param cfgRoot the directory holding {@code <mode>/...}; default {@code cfg}
         * @return this builder
         */
        public Builder cfgRoot(Path cfgRoot) {
            this.cfgRoot = Objects.requireNonNull(cfgRoot, "cfgRoot");
            return this;
        }

        /**
         * The output root.
         *
         * @param outRoot the directory trials are written below; default {@code out/log}
         * @return this builder
         */
        public Builder outRoot(Path outRoot) {
            this.outRoot = Objects.requireNonNull(outRoot, "outRoot");
            return this;
        }

        /**
         * Which leaves to expand (the whole tree is still read for its rules only where selected).
         *
         * @param filter the selection; default every leaf
         * @return this builder
         */
        public Builder filter(TrialFilter filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /** @return the expander */
        public SweepExpander build() {
            return new SweepExpander(this);
        }
    }
}
