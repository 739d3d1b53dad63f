package dev.stepwise.server.mlflow;

import dev.stepwise.server.access.Permission;
import dev.stepwise.server.access.ProjectAccess.Granted;
import dev.stepwise.server.metric.MetricReads;
import dev.stepwise.server.metric.MetricReads.LatestPoint;
import dev.stepwise.server.run.RunRecord;
import dev.stepwise.server.run.RunService;
import dev.stepwise.server.run.RunService.ListParams;
import dev.stepwise.server.run.RunService.RunPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * {@code runs/search}: narrows candidates with the run list query of each experiment, checks the
 * whole filter on them, orders by MLflow's {@code order_by} (default: newest first) and pages with
 * an opaque offset token.
 */
@Service
class MlflowRunSearch {

    /** More candidates than this after narrowing in the database is a request to narrow the filter. */
    static final int MAX_CANDIDATES = 200_000;
    private static final int LIST_PAGE = 1000;

    /** A found run with what MLflow shows of it. */
    record Found(RunRecord run, List<LatestPoint> latest, boolean deleted, Map<String, String> longTags) {}

    record Result(List<Found> runs, String nextPageToken) {}

    enum ViewType { ACTIVE_ONLY, DELETED_ONLY, ALL }

    private final MlflowTracking tracking;
    private final RunService runs;
    private final MetricReads metrics;
    private final MlflowStore store;

    MlflowRunSearch(MlflowTracking tracking, RunService runs, MetricReads metrics, MlflowStore store) {
        this.tracking = tracking;
        this.runs = runs;
        this.metrics = metrics;
        this.store = store;
    }

    @Transactional(readOnly = true)
    public Result search(List<String> experimentIds, String filter, ViewType view, int maxResults,
            List<String> orderBy, String pageToken) {
        if (experimentIds.isEmpty()) {
            throw MlflowException.invalid("runs/search needs at least one experiment id in 'experiment_ids'");
        }
        long offset = offset(pageToken);
        RunSearchPlan plan = RunSearchPlan.of(RunFilter.parse(filter));
        Comparator<Found> order = order(orderBy);
        List<Found> matches = new ArrayList<>();
        for (String experimentId : new LinkedHashSet<>(experimentIds)) {
            Granted granted = tracking.experiment(experimentId, Permission.READ);
            if (plan.empty()) {
                continue;
            }
            List<RunRecord> candidates = candidates(granted.projectId(), plan);
            List<UUID> ids = candidates.stream().map(RunRecord::id).toList();
            Map<UUID, List<LatestPoint>> latest = new HashMap<>();
            for (int from = 0; from < ids.size(); from += LIST_PAGE) {
                latest.putAll(metrics.latest(ids.subList(from, Math.min(ids.size(), from + LIST_PAGE))));
            }
            Set<UUID> deleted = store.deletedRuns(ids);
            Map<UUID, Map<String, String>> longTags = store.longTags(ids);
            for (RunRecord run : candidates) {
                boolean isDeleted = deleted.contains(run.id());
                if ((view == ViewType.ACTIVE_ONLY && isDeleted) || (view == ViewType.DELETED_ONLY && !isDeleted)) {
                    continue;
                }
                Found found = new Found(run, latest.getOrDefault(run.id(), List.of()), isDeleted,
                        longTags.getOrDefault(run.id(), Map.of()));
                if (plan.matches(subject(found))) {
                    matches.add(found);
                }
            }
        }
        matches.sort(order);
        int from = (int) Math.min(offset, matches.size());
        int to = (int) Math.min((long) from + maxResults, matches.size());
        return new Result(List.copyOf(matches.subList(from, to)), to < matches.size() ? token(to) : null);
    }

    private List<RunRecord> candidates(long projectId, RunSearchPlan plan) {
        List<RunRecord> all = new ArrayList<>();
        String cursor = null;
        do {
            RunPage page = runs.list(projectId, new ListParams(plan.nativeStatuses(), null,
                    plan.nativeTags().isEmpty() ? null : plan.nativeTags(), null,
                    plan.nativeFilters().isEmpty() ? null : plan.nativeFilters(), null, LIST_PAGE, cursor));
            all.addAll(page.runs());
            if (all.size() > MAX_CANDIDATES) {
                throw MlflowException.invalid("The filter matches more than " + MAX_CANDIDATES
                        + " runs before exact checks; narrow it (for example by tags or attributes.status)");
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    /** The run as filters see it; lookups go straight to the record, so building one is cheap. */
    static RunSearchPlan.Subject subject(Found f) {
        RunRecord r = f.run();
        return new RunSearchPlan.Subject() {
            @Override
            public Double metric(String key) {
                for (LatestPoint p : f.latest()) {
                    if (p.key().equals(key)) {
                        return p.value();
                    }
                }
                return null;
            }

            @Override
            public String param(String key) {
                var value = r.config().get(key);
                return value == null ? null : MlflowViews.paramText(value);
            }

            @Override
            public String tag(String key) {
                switch (key) {
                    case MlflowViews.RUN_NAME: return r.name();
                    case MlflowViews.NOTE: return r.notes() == null || r.notes().isEmpty() ? null : r.notes();
                    case MlflowViews.USER: return r.createdBy();
                    default: break;
                }
                for (String tag : r.tags()) {
                    if (MlflowViews.holds(tag, key)) {
                        return tag.length() == key.length() ? "" : tag.substring(key.length() + 1);
                    }
                }
                return f.longTags().get(key);
            }

            @Override
            public String attribute(String key) {
                return switch (key) {
                    case "status" -> MlflowViews.status(r.status());
                    case "run_name" -> r.name();
                    case "run_id" -> r.id().toString();
                    case "user_id" -> r.createdBy();
                    case "start_time" -> String.valueOf((r.startedAt() != null ? r.startedAt() : r.createdAt())
                            .toEpochMilli());
                    case "end_time" -> r.endedAt() == null ? null : String.valueOf(r.endedAt().toEpochMilli());
                    case "lifecycle_stage" -> f.deleted() ? "deleted" : "active";
                    default -> null;
                };
            }
        };
    }

    /** MLflow's order_by ({@code metrics.loss DESC}, {@code attributes.start_time}, ...), then newest first. */
    static Comparator<Found> order(List<String> orderBy) {
        Comparator<Found> order = null;
        for (String term : orderBy) {
            Comparator<Found> next = term(term);
            order = order == null ? next : order.thenComparing(next);
        }
        Comparator<Found> newestFirst = Comparator.comparing((Found f) -> f.run().createdAt()).reversed()
                .thenComparing(f -> f.run().id());
        return order == null ? newestFirst : order.thenComparing(newestFirst);
    }

    private static Comparator<Found> term(String term) {
        String t = term.trim();
        boolean descending = false;
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.endsWith(" DESC")) {
            descending = true;
            t = t.substring(0, t.length() - 5).trim();
        } else if (upper.endsWith(" ASC")) {
            t = t.substring(0, t.length() - 4).trim();
        }
        if (t.isEmpty()) {
            throw MlflowException.invalid("Invalid order_by clause '" + term + "'");
        }
        String field = t.contains(".") ? t : "attributes." + t;
        RunFilter.Clause probe;
        try {
            boolean numeric = field.startsWith("metric") || field.endsWith("start_time") || field.endsWith("end_time");
            probe = RunFilter.parse(quoteKey(field) + (numeric ? " = 0" : " = ''")).clauses().get(0);
        } catch (MlflowException e) {
            throw MlflowException.invalid("Invalid order_by clause '" + term + "': " + e.getMessage());
        }
        RunFilter.Clause clause = probe;
        boolean numeric = clause.entity() == RunFilter.Entity.METRIC
                || RunFilter.NUMERIC_ATTRIBUTES.contains(clause.key());
        Comparator<Found> byValue = (a, b) -> {
            String va = value(clause, a);
            String vb = value(clause, b);
            if (va == null || vb == null) {
                return va == null ? (vb == null ? 0 : 1) : -1;
            }
            return numeric ? Double.compare(Double.parseDouble(va), Double.parseDouble(vb)) : va.compareTo(vb);
        };
        if (!descending) {
            return byValue;
        }
        // Missing values stay last in both directions, as in MLflow.
        return (a, b) -> {
            String va = value(clause, a);
            String vb = value(clause, b);
            if (va == null || vb == null) {
                return byValue.compare(a, b);
            }
            return -byValue.compare(a, b);
        };
    }

    private static String quoteKey(String field) {
        int dot = field.indexOf('.');
        String key = field.substring(dot + 1);
        if (key.startsWith("`") || key.startsWith("\"")) {
            return field;
        }
        return field.substring(0, dot + 1) + "`" + key.replace("`", "``") + "`";
    }

    private static String value(RunFilter.Clause clause, Found f) {
        RunSearchPlan.Subject s = subject(f);
        return switch (clause.entity()) {
            case METRIC -> {
                Double v = s.metric(clause.key());
                yield v == null || v.isNaN() ? null : String.valueOf(v);
            }
            case PARAM -> s.param(clause.key());
            case TAG -> s.tag(clause.key());
            case ATTRIBUTE -> s.attribute(clause.key());
        };
    }

    static long offset(String pageToken) {
        if (pageToken == null || pageToken.isEmpty()) {
            return 0;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
            if (decoded.startsWith("offset:")) {
                long offset = Long.parseLong(decoded.substring(7));
                if (offset >= 0) {
                    return offset;
                }
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw MlflowException.invalid("Invalid page token '" + pageToken + "'");
    }

    static String token(long offset) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + offset)
                .getBytes(StandardCharsets.UTF_8));
    }
}
