package dev.stepwise.server.run;

import dev.stepwise.server.web.ProblemException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;

/**
 * Turns the run list's query parameters into SQL. Fields come from a fixed whitelist
 * ({@code name status group createdAt config.<key> summary.<key>.<stat>}); every value, key and
 * pattern is a bound parameter; anything else is a 400 problem naming the parameter.
 */
final class RunListQuery {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    /** At most this many {@code filter}, {@code tag} and {@code status} values per request. */
    static final int MAX_CONDITIONS = 50;
    /** At most this many characters in a filter, tag, status list or text search. */
    static final int MAX_VALUE_LENGTH = 1000;
    private static final Pattern FILTER = Pattern.compile("^\\s*(.+?)\\s*(<=|>=|!=|=|<|>|~)\\s*(.*?)\\s*$",
            Pattern.DOTALL);

    /** The kinds of value a field holds. */
    private enum Kind { TEXT, STATUS, TIME, JSON, NUMBER }

    private record Field(String sql, Kind kind) {}

    private final StringBuilder joins = new StringBuilder();
    private final StringBuilder where = new StringBuilder();
    private final MapSqlParameterSource params = new MapSqlParameterSource();
    private String orderBy = "r.created_at desc, r.id desc";
    private final RunSummaries summaries;
    private int counter;
    private int limit = DEFAULT_LIMIT;
    private long offset;

    RunListQuery(long projectId, RunSummaries summaries) {
        this.summaries = summaries;
        params.addValue("projectId", projectId);
    }

    RunListQuery statuses(List<String> statuses) {
        bounded("status", statuses);
        if (statuses != null && !statuses.isEmpty()) {
            List<String> parsed = statuses.stream().flatMap(s -> List.of(s.split(",")).stream())
                    .map(String::trim).filter(s -> !s.isEmpty()).map(s -> status("status", s)).toList();
            where.append(" and r.status = any(").append(bind(parsed.toArray(String[]::new))).append(')');
        }
        return this;
    }

    RunListQuery group(String group) {
        bounded("group", group == null ? null : List.of(group));
        if (group != null) {
            where.append(" and r.run_group = ").append(bind(group));
        }
        return this;
    }

    RunListQuery tags(List<String> tags) {
        bounded("tag", tags);
        if (tags != null) {
            for (String tag : tags) {
                where.append(" and exists (select 1 from run_tags t where t.run_id = r.id and t.tag = ")
                        .append(bind(tag)).append(')');
            }
        }
        return this;
    }

    RunListQuery text(String q) {
        bounded("q", q == null ? null : List.of(q));
        if (q != null && !q.isBlank()) {
            where.append(" and strpos(lower(coalesce(r.name, '')), lower(").append(bind(q)).append(")) > 0");
        }
        return this;
    }

    RunListQuery filters(List<String> filters) {
        bounded("filter", filters);
        if (filters != null) {
            for (String filter : filters) {
                filter(filter);
            }
        }
        return this;
    }

    private void filter(String raw) {
        Matcher m = FILTER.matcher(raw);
        if (!m.matches()) {
            throw ProblemException.invalid("filter", "'" + raw + "' is not FIELD OP VALUE with OP one of = != < <= > >= ~");
        }
        Field field = field(m.group(1), "filter");
        String op = m.group(2);
        String value = m.group(3);
        boolean quoted = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"");
        if (quoted) {
            value = value.substring(1, value.length() - 1);
        }
        where.append(" and ").append(switch (field.kind()) {
            case TEXT -> textCondition(field.sql(), op, value);
            case STATUS -> textCondition(field.sql(), op, op.equals("~") ? value.toUpperCase(Locale.ROOT)
                    : status("filter", value));
            case TIME -> compare(field.sql(), op, bind(Timestamp.from(instant(value))), raw);
            case NUMBER -> compare(field.sql(), op, bind(number(value, raw).doubleValue()), raw);
            case JSON -> jsonCondition(field.sql(), op, value, quoted);
        });
    }

    private String textCondition(String sql, String op, String value) {
        String p = bind(value);
        return switch (op) {
            case "~" -> "strpos(" + sql + ", " + p + ") > 0";
            case "!=" -> "(" + sql + " is null or " + sql + " <> " + p + ")";
            default -> sql + " " + op + " " + p;
        };
    }

    private String jsonCondition(String sql, String op, String value, boolean quoted) {
        String text = "(" + sql + " #>> '{}')";
        if (op.equals("~")) {
            return "strpos(" + text + ", " + bind(value) + ") > 0";
        }
        if (!quoted && (value.equals("true") || value.equals("false"))) {
            String p = "cast(" + bind(value) + " as jsonb)";
            return switch (op) {
                case "=" -> sql + " = " + p;
                case "!=" -> "(" + sql + " is null or " + sql + " <> " + p + ")";
                default -> throw ProblemException.invalid("filter", "booleans only support = and !=");
            };
        }
        BigDecimal number = quoted ? null : tryNumber(value);
        if (number != null) {
            // CASE keeps the cast from ever seeing a non-numeric value.
            String numeric = "(case when jsonb_typeof(" + sql + ") = 'number' then " + text + "::numeric end)";
            return op.equals("!=") ? numeric + " is distinct from " + bind(number) : numeric + " " + op + " " + bind(number);
        }
        String string = "(case when jsonb_typeof(" + sql + ") = 'string' then " + text + " end)";
        return op.equals("!=") ? string + " is distinct from " + bind(value) : string + " " + op + " " + bind(value);
    }

    private static String compare(String sql, String op, String param, String raw) {
        return switch (op) {
            case "~" -> throw ProblemException.invalid("filter", "'~' (substring) does not apply to '" + raw + "'");
            case "!=" -> sql + " is distinct from " + param;
            default -> sql + " " + op + " " + param;
        };
    }

    RunListQuery sort(String sort) {
        bounded("sort", sort == null ? null : List.of(sort));
        if (sort == null || sort.isBlank()) {
            return this;
        }
        boolean descending = sort.startsWith("-");
        String name = descending || sort.startsWith("+") ? sort.substring(1) : sort;
        Field field = field(name, "sort");
        String direction = descending ? " desc" : " asc";
        orderBy = field.sql() + direction + " nulls last, r.created_at desc, r.id desc";
        return this;
    }

    RunListQuery page(Integer limit, String cursor) {
        if (limit != null) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw ProblemException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
            }
            this.limit = limit;
        }
        if (cursor != null && !cursor.isEmpty()) {
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                if (!decoded.startsWith("o:")) {
                    throw new IllegalArgumentException();
                }
                offset = Long.parseLong(decoded.substring(2));
                if (offset < 0) {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalid("cursor", "is not a cursor returned by this endpoint");
            }
        }
        return this;
    }

    int limit() {
        return limit;
    }

    String nextCursor(int returned) {
        return returned > limit ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("o:" + (offset + limit)).getBytes(StandardCharsets.UTF_8)) : null;
    }

    String sql() {
        return "select r.id from runs r" + joins + " where r.project_id = :projectId" + where + " order by " + orderBy
                + " limit " + (limit + 1) + " offset " + offset;
    }

    /** At most this many {@code by} fields in an aggregation. */
    static final int MAX_GROUP_FIELDS = 5;
    /** At most this many groups in an aggregation answer. */
    static final int MAX_GROUPS = 1000;

    /**
     * SQL of the aggregation over the filtered runs: one row per distinct combination of the
     * {@code by} fields (columns {@code k1..kN} as text, JSON text for config values), with
     * {@code runs} (runs in the group), {@code n} (runs with a finite metric value) and the mean,
     * population standard deviation, minimum and maximum of the metric over those runs. At most
     * {@link #MAX_GROUPS} + 1 rows, so callers can tell that the answer was cut.
     *
     * @param by the fields to group by, as in filters ({@code config.<key>}, {@code group}, ...)
     * @param metric {@code <metric key>.<stat>} with stat one of {@link RunSummaries#STATS}
     */
    String aggregateSql(List<String> by, String metric) {
        bounded("by", by);
        bounded("metric", metric == null ? null : List.of(metric));
        if (by == null || by.isEmpty() || by.size() > MAX_GROUP_FIELDS) {
            throw ProblemException.invalid("by", "give 1 to " + MAX_GROUP_FIELDS + " fields to group by");
        }
        int dot = metric == null ? -1 : metric.lastIndexOf('.');
        if (dot <= 0 || !RunSummaries.STATS.contains(metric.substring(dot + 1))) {
            throw ProblemException.invalid("metric", "must be <metric key>.<stat> with stat one of " + RunSummaries.STATS
                    + ", e.g. val/acc.max");
        }
        StringBuilder keys = new StringBuilder();
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < by.size(); i++) {
            Field f = field(by.get(i), "by");
            String text = f.sql() + "::text";
            keys.append(text).append(" as k").append(i + 1).append(", ");
            names.append(i == 0 ? "" : ", ").append('k').append(i + 1);
        }
        Field value = field("summary." + metric, "metric");
        // NaN and infinities (possible for 'last') are left out of the statistics, like every summary.
        String finite = "case when " + value.sql() + " not in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) "
                + "then " + value.sql() + " end";
        return "select " + names + ", count(*) as runs, count(v) as n, avg(v) as mean, stddev_pop(v) as std, "
                + "min(v) as min, max(v) as max from (select " + keys + finite + " as v from runs r" + joins
                + " where r.project_id = :projectId" + where + ") x group by " + names + " order by " + names
                + " nulls last limit " + (MAX_GROUPS + 1);
    }

    MapSqlParameterSource params() {
        return params;
    }

    private Field field(String name, String parameter) {
        switch (name) {
            case "name": return new Field("r.name", Kind.TEXT);
            case "status": return new Field("r.status", Kind.STATUS);
            case "group": return new Field("r.run_group", Kind.TEXT);
            case "createdAt": return new Field("r.created_at", Kind.TIME);
            default: break;
        }
        if (name.startsWith("config.") && name.length() > "config.".length()) {
            String alias = "c" + (++counter);
            joins.append(" left join run_config ").append(alias).append(" on ").append(alias)
                    .append(".run_id = r.id and ").append(alias).append(".key = ").append(bind(name.substring(7)));
            return new Field(alias + ".value", Kind.JSON);
        }
        if (name.startsWith("summary.")) {
            int dot = name.lastIndexOf('.');
            String stat = name.substring(dot + 1);
            String key = dot > 8 ? name.substring(8, dot) : "";
            if (key.isEmpty() || !RunSummaries.STATS.contains(stat)) {
                throw ProblemException.invalid(parameter,
                        "'" + name + "' must be summary.<metric key>.<stat> with stat one of " + RunSummaries.STATS);
            }
            RunSummaries.SummaryColumn column = summaries.column("s" + (++counter), key, stat, this::bind);
            joins.append(column.join());
            return new Field(column.value(), Kind.NUMBER);
        }
        throw ProblemException.invalid(parameter, "unknown field '" + name
                + "'; use name, status, group, createdAt, config.<key> or summary.<metric key>.<stat>");
    }

    /** Caps what one request may ask for, so a query's cost is bounded by the limits, not by the caller. */
    private static void bounded(String parameter, List<String> values) {
        if (values == null) {
            return;
        }
        if (values.size() > MAX_CONDITIONS) {
            throw ProblemException.invalid(parameter, "at most " + MAX_CONDITIONS + " values per request");
        }
        for (String value : values) {
            if (value != null && value.length() > MAX_VALUE_LENGTH) {
                throw ProblemException.invalid(parameter, "values are at most " + MAX_VALUE_LENGTH + " characters");
            }
            if (value != null && value.indexOf('\0') >= 0) {
                throw ProblemException.invalid(parameter, "must not contain NUL characters");
            }
        }
    }

    private String bind(Object value) {
        String name = "p" + (++counter);
        params.addValue(name, value);
        return ":" + name;
    }

    private static String status(String parameter, String value) {
        try {
            return RunStatus.parseIgnoringCase(value).name();
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid(parameter, "unknown status '" + value + "'");
        }
    }

    private static BigDecimal number(String value, String raw) {
        BigDecimal number = tryNumber(value);
        if (number == null) {
            throw ProblemException.invalid("filter", "'" + raw + "' needs a number");
        }
        return number;
    }

    private static BigDecimal tryNumber(String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static Instant instant(String value) {
        try {
            return value.chars().allMatch(Character::isDigit) && !value.isEmpty()
                    ? Instant.ofEpochMilli(Long.parseLong(value)) : Instant.parse(value);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw ProblemException.invalid("filter", "'" + value + "' is not an ISO-8601 time or epoch milliseconds");
        }
    }
}
