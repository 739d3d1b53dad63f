package dev.stepwise.client.sweep;

import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Selects trials by mode, dataset, model and trainer; an empty set selects every value. Immutable.
 *
 * @param modes modes to keep
 * @param datasets datasets to keep
 * @param models models to keep
 * @param trainers trainers to keep
 */
public record TrialFilter(Set<String> modes, Set<String> datasets, Set<String> models, Set<String> trainers)
        implements Predicate<Trial> {

    /** Every trial. */
    public static final TrialFilter ALL = new TrialFilter(Set.of(), Set.of(), Set.of(), Set.of());

    /**
     * Creates a filter; null lists select everything.
     *
     * @param modes modes
     * @param datasets datasets
     * @param models models
     * @param trainers trainers
     * @return the filter
     */
    public static TrialFilter of(List<String> modes, List<String> datasets, List<String> models, List<String> trainers) {
        return new TrialFilter(set(modes), set(datasets), set(models), set(trainers));
    }

    private static Set<String> set(List<String> values) {
        return values == null ? Set.of() : Set.copyOf(values);
    }

    /**
     * Whether a leaf {@code <mode>/<dataset>/<model>/<trainer>} is selected.
     *
     * @param mode mode
     * @param dataset dataset
     * @param model model
     * @param trainer trainer
     * @return true when selected
     */
    public boolean accepts(String mode, String dataset, String model, String trainer) {
        return ok(modes, mode) && ok(datasets, dataset) && ok(models, model) && ok(trainers, trainer);
    }

    @Override
    public boolean test(Trial t) {
        return accepts(t.mode(), t.dataset(), t.model(), t.trainer());
    }

    private static boolean ok(Set<String> allowed, String value) {
        return allowed.isEmpty() || allowed.contains(value);
    }
}
