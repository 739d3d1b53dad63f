package dev.stepwise.server.mlflow;

import dev.stepwise.server.mlflow.RunFilter.Clause;
import dev.stepwise.server.mlflow.RunFilter.Entity;
import dev.stepwise.server.mlflow.RunFilter.Op;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * How a parsed filter runs: the part the run list query can answer (its {@code filter}, {@code tag}
 * and {@code status} parameters, all bound there) narrows the candidates in PostgreSQL, and every
 * clause is then checked exactly on the candidates. A pushed-down condition is always implied by
 * its clause, so narrowing never loses a match.
 */
record RunSearchPlan(List<String> nativeFilters, List<String> nativeTags, List<String> nativeStatuses,
        RunFilter filter) {

    /** What a clause is checked against: one run's values as MLflow sees them. */
    interface Subject {
        Double metric(String key);

        String param(String key);

        String tag(String key);

        /** An attribute as text ({@code status}, {@code run_name}, ...) or epoch ms for the times. */
        String attribute(String key);
    }

    /** Keys that travel safely inside a run list filter string (MLflow's own name rule). */
    private static final Pattern SAFE_KEY = Pattern.compile("^[\\w./\\- ]+$", Pattern.UNICODE_CHARACTER_CLASS);

    static RunSearchPlan of(RunFilter filter) {
        List<String> filters = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        Set<String> statuses = null;
        for (Clause c : filter.clauses()) {
            if (!SAFE_KEY.matcher(c.key()).matches()) {
                continue;
            }
            switch (c.entity()) {
                case METRIC -> {
                    if (c.op() != Op.NE) {
                        // summary.<key>.last is the latest value: the one MLflow filters on.
                        filters.add("summary." + c.key() + ".last " + c.op().text + " " + c.value());
                    }
                }
                case PARAM -> {
                    // Substring on the config value's text: implied by =, LIKE and IN with one value.
                    String literal = literal(c);
                    if (literal != null && !literal.isEmpty()) {
                        filters.add("config." + c.key() + " ~ " + literal);
                    }
                }
                case TAG -> {
                    // Tags too long for a run tag are kept aside, so only a fitting one can be asked for.
                    if (c.op() == Op.EQ && !c.key().startsWith("mlflow.") && MlflowLimits.fitsRunTag(c.key(), c.value())) {
                        tags.add(MlflowViews.nativeTag(c.key(), c.value()));
                    }
                }
                case ATTRIBUTE -> {
                    if (c.key().equals("status") && (c.op() == Op.EQ || c.op() == Op.IN)) {
                        Set<String> allowed = new LinkedHashSet<>();
                        for (String v : c.values()) {
                            String s = v.toUpperCase(Locale.ROOT);
                            allowed.add(s.equals("SCHEDULED") ? "RUNNING" : s);
                            if (s.equals("FAILED")) {
                                allowed.add("CRASHED");
                            }
                        }
                        allowed.removeIf(s -> !List.of("RUNNING", "FINISHED", "FAILED", "KILLED", "CRASHED").contains(s));
                        if (statuses == null) {
                            statuses = allowed;
                        } else {
                            statuses.retainAll(allowed);
                        }
                    } else if (c.key().equals("start_time") && c.op().numeric()
                            && Double.parseDouble(c.value()) >= 0) {
                        // Stored times have sub-millisecond precision: widen to whole milliseconds so no match is lost.
                        long ms = (long) Math.floor(Double.parseDouble(c.value()));
                        boolean upper = c.op() == Op.LT || c.op() == Op.LE;
                        filters.add(upper ? "createdAt < " + (ms + 1) : "createdAt >= " + ms);
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return new RunSearchPlan(filters, tags, statuses == null ? null : List.copyOf(statuses), filter);
    }

    /** True when nothing can match (e.g. a status filter that names no known status). */
    boolean empty() {
        return nativeStatuses != null && nativeStatuses.isEmpty();
    }

    /** The longest run of literal characters every match contains, or null when there is none. */
    private static String literal(Clause c) {
        return switch (c.op()) {
            case EQ -> c.value();
            case IN -> c.values().size() == 1 ? c.value() : null;
            case LIKE -> {
                String best = "";
                for (String part : c.value().split("[%_]")) {
                    if (part.length() > best.length()) {
                        best = part;
                    }
                }
                yield best;
            }
            default -> null;
        };
    }

    boolean matches(Subject run) {
        for (Clause c : filter.clauses()) {
            if (!matches(c, run)) {
                return false;
            }
        }
        return true;
    }

    static boolean matches(Clause c, Subject run) {
        if (c.entity() == Entity.METRIC) {
            Double v = run.metric(c.key());
            // Non-finite latest values never match, as in the run list's summary.<key>.last.
            return v != null && Double.isFinite(v) && compare(Double.compare(v, Double.parseDouble(c.value())), c.op());
        }
        Function<String, String> lookup = switch (c.entity()) {
            case PARAM -> run::param;
            case TAG -> run::tag;
            default -> run::attribute;
        };
        String v = lookup.apply(c.key());
        if (c.entity() == Entity.ATTRIBUTE && RunFilter.NUMERIC_ATTRIBUTES.contains(c.key())) {
            return v != null && compare(Double.compare(Double.parseDouble(v), Double.parseDouble(c.value())), c.op());
        }
        if (v == null) {
            return false;
        }
        if (c.entity() == Entity.ATTRIBUTE && c.key().equals("status")) {
            v = v.toUpperCase(Locale.ROOT);
        }
        return switch (c.op()) {
            case EQ -> v.equals(c.value());
            case NE -> !v.equals(c.value());
            case LIKE -> like(c.value(), false).matcher(v).matches();
            case ILIKE -> like(c.value(), true).matcher(v).matches();
            case IN -> c.values().contains(v);
            case NOT_IN -> !c.values().contains(v);
            default -> compare(v.compareTo(c.value()), c.op());
        };
    }

    private static boolean compare(int cmp, Op op) {
        return switch (op) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
            default -> false;
        };
    }

    /** SQL LIKE as a regular expression: {@code %} any run of characters, {@code _} one character. */
    static Pattern like(String pattern, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            if (ch == '%' || ch == '_') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(ch == '%' ? ".*" : ".");
            } else {
                literal.append(ch);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL
                | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0));
    }
}
