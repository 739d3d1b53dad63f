package dev.stepwise.server.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.server.web.ProblemException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The run-list query parser: what SQL it builds and that every user value is a bound parameter. */
class RunListQueryTests {

    /** Summary columns as a stand-in module would give them; only {@code column} is used by the parser. */
    private static final RunSummaries SUMMARIES = new RunSummaries() {
        @Override
        public Map<String, SummaryView> of(UUID runId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<UUID, Map<String, SummaryView>> of(Collection<UUID> runIds, Collection<String> keys) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SummaryColumn column(String alias, String key, String stat, Function<Object, String> bind) {
            return new SummaryColumn(" left join summaries " + alias + " on " + alias + ".key = " + bind.apply(key),
                    alias + "." + stat);
        }
    };

    private static RunListQuery query() {
        return new RunListQuery(7, SUMMARIES);
    }

    @Test
    void filtersAndSortAreJoinsAndConditionsWithBoundValues() {
        String hostile = "x'); drop table runs; --";
        RunListQuery q = query().statuses(List.of("running,finished")).tags(List.of(hostile))
                .filters(List.of("config.lr > 0.01", "summary.val/acc.max >= 0.9", "name ~ " + hostile))
                .sort("-summary.val/acc.max");
        String sql = q.sql();
        assertThat(sql).doesNotContain(hostile).doesNotContain("drop table");
        assertThat(sql).contains("left join run_config").contains("left join summaries");
        assertThat(sql).contains(" desc nulls last");
        assertThat(q.params().getValues()).containsValue(hostile).containsValue("val/acc").containsValue("lr")
                .containsEntry("projectId", 7L);
        assertThat(q.params().getValues().values())
                .anySatisfy(v -> assertThat(v).isInstanceOf(String[].class)
                        .satisfies(a -> assertThat((String[]) a).containsExactly("RUNNING", "FINISHED")));
    }

    @Test
    void badFieldsOperatorsStatusesAndNumbersAreFieldProblems() {
        assertBadRequest(() -> query().filters(List.of("foo > 1")), "filter");
        assertBadRequest(() -> query().filters(List.of("config.lr")), "filter");
        assertBadRequest(() -> query().filters(List.of("summary.loss.median > 1")), "filter");
        assertBadRequest(() -> query().filters(List.of("createdAt > yesterday")), "filter");
        assertBadRequest(() -> query().statuses(List.of("sleeping")), "status");
        assertBadRequest(() -> query().sort("colour"), "sort");
        assertBadRequest(() -> query().page(0, null), "limit");
        assertBadRequest(() -> query().page(RunListQuery.MAX_LIMIT + 1, null), "limit");
        assertBadRequest(() -> query().page(null, "not-a-cursor"), "cursor");
    }

    @Test
    void aRequestAsksForABoundedAmountOfWork() {
        List<String> many = java.util.Collections.nCopies(RunListQuery.MAX_CONDITIONS + 1, "name = a");
        assertBadRequest(() -> query().filters(many), "filter");
        assertBadRequest(() -> query().tags(java.util.Collections.nCopies(RunListQuery.MAX_CONDITIONS + 1, "t")), "tag");
        assertBadRequest(() -> query().text("q".repeat(RunListQuery.MAX_VALUE_LENGTH + 1)), "q");
        assertBadRequest(() -> query().filters(List.of("name = a\u0000b")), "filter");
        assertBadRequest(() -> query().group("g\u0000"), "group");
        assertThat(query().filters(java.util.Collections.nCopies(RunListQuery.MAX_CONDITIONS, "name = a")).sql())
                .contains("r.name");
    }

    @Test
    void cursorsPageThroughByOffsetAndEndWhenNoExtraRowCame() {
        RunListQuery first = query().page(10, null);
        assertThat(first.sql()).endsWith("limit 11 offset 0");
        String next = first.nextCursor(11);
        assertThat(next).isNotNull();
        assertThat(first.nextCursor(10)).isNull();
        assertThat(query().page(10, next).sql()).endsWith("limit 11 offset 10");
    }

    @Test
    void timesAreIsoOrEpochMillis() {
        assertThat(RunListQuery.instant("1700000000000").toEpochMilli()).isEqualTo(1_700_000_000_000L);
        assertThat(RunListQuery.instant("2026-01-02T03:04:05Z").toString()).isEqualTo("2026-01-02T03:04:05Z");
    }

    private static void assertBadRequest(Runnable call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.getStatusCode().value()).isEqualTo(400);
            assertThat(e.getBody().getProperties()).isNotNull();
            assertThat(e.getBody().getProperties().get("errors").toString()).contains(field);
        });
    }
}
