package dev.stepwise.server.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.server.mlflow.RunFilter.Clause;
import dev.stepwise.server.mlflow.RunFilter.Entity;
import dev.stepwise.server.mlflow.RunFilter.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The runs/search filter language: parsing, what is pushed down to the run list, exact checks. */
class MlflowRunFilterTests {

    @Test
    void parsesClausesJoinedByAnd() {
        RunFilter filter = RunFilter.parse("metrics.x > 1 and params.lr = '0.01' AND tags.t = \"a\"");
        assertThat(filter.clauses()).containsExactly(
                new Clause(Entity.METRIC, "x", Op.GT, List.of("1"), true),
                new Clause(Entity.PARAM, "lr", Op.EQ, List.of("0.01"), false),
                new Clause(Entity.TAG, "t", Op.EQ, List.of("a"), false));
    }

    @Test
    void parsesLikeIlikeInAndNotIn() {
        RunFilter filter = RunFilter.parse("tags.`model type` LIKE 'res%' and params.opt ILIKE '%ADAM%' "
                + "and attributes.status IN ('FINISHED', 'FAILED') and params.act not in ('relu')");
        assertThat(filter.clauses()).extracting(Clause::op).containsExactly(Op.LIKE, Op.ILIKE, Op.IN, Op.NOT_IN);
        assertThat(filter.clauses().get(0).key()).isEqualTo("model type");
        assertThat(filter.clauses().get(2).values()).containsExactly("FINISHED", "FAILED");
    }

    @Test
    void acceptsSingularPrefixesQuotedKeysAndAttributeAliases() {
        RunFilter filter = RunFilter.parse("metric.\"val loss\" <= -1.5e-3 and run.name = 'a' and attr.run_uuid != 'b'");
        assertThat(filter.clauses()).containsExactly(
                new Clause(Entity.METRIC, "val loss", Op.LE, List.of("-1.5e-3"), true),
                new Clause(Entity.ATTRIBUTE, "run_name", Op.EQ, List.of("a"), false),
                new Clause(Entity.ATTRIBUTE, "run_id", Op.NE, List.of("b"), false));
    }

    @Test
    void quotesInsideValuesAreKeptAsText() {
        Clause clause = RunFilter.parse("params.note = 'it''s; drop table runs; --'").clauses().get(0);
        assertThat(clause.value()).isEqualTo("it's; drop table runs; --");
    }

    @ParameterizedTest
    @ValueSource(strings = {"metrics.x > 'a'", "params.lr > '1'", "params.lr = 0.01", "loss > 1", "metrics.x >",
            "metrics.x > 1 or metrics.y < 2", "foo.x = 'a'", "attributes.color = 'red'", "metrics.x LIKE '1'",
            "params.x IN 'a'", "params.x = 'unterminated", "metrics.x ! 1", "tags.t IN ('a' 'b')", "metrics. = 1"})
    void rejectsInvalidFiltersAsInvalidParameterValue(String filter) {
        assertThatThrownBy(() -> RunFilter.parse(filter)).isInstanceOfSatisfying(MlflowException.class,
                e -> assertThat(e.code()).isEqualTo(MlflowException.Code.INVALID_PARAMETER_VALUE));
    }

    @Test
    void emptyFilterHasNoClauses() {
        assertThat(RunFilter.parse("  ").clauses()).isEmpty();
        assertThat(RunFilter.parse(null).clauses()).isEmpty();
    }

    @Test
    void pushesDownOnlyConditionsThatEveryMatchSatisfies() {
        RunSearchPlan plan = RunSearchPlan.of(RunFilter.parse("metrics.loss < 0.5 and metrics.acc != 1 "
                + "and params.lr = '0.01' and params.opt LIKE '%adam_w%' and params.act IN ('a', 'b') "
                + "and tags.team = 'vision' and tags.mlflow.runName = 'x' and tags.stage != 'a' "
                + "and attributes.status IN ('FAILED', 'SCHEDULED') and attributes.start_time <= 1000"));
        assertThat(plan.nativeFilters()).containsExactly("summary.loss.last < 0.5", "config.lr ~ 0.01",
                "config.opt ~ adam", "createdAt < 1001");
        assertThat(plan.nativeTags()).containsExactly("team=vision");
        assertThat(plan.nativeStatuses()).containsExactlyInAnyOrder("FAILED", "CRASHED", "RUNNING");
    }

    @Test
    void keysThatCannotTravelInARunListFilterAreCheckedExactlyOnly() {
        RunSearchPlan plan = RunSearchPlan.of(RunFilter.parse("metrics.`a<b` > 1 and params.`k~v` = 'x'"));
        assertThat(plan.nativeFilters()).isEmpty();
    }

    @Test
    void statusFiltersThatNameNoStatusMatchNothing() {
        assertThat(RunSearchPlan.of(RunFilter.parse("attributes.status = 'FINISHED' and attributes.status = 'KILLED'"))
                .empty()).isTrue();
    }

    @Test
    void checksEveryClauseExactly() {
        RunSearchPlan.Subject run = subject(Map.of("loss", 0.4, "bad", Double.NaN), Map.of("lr", "0.01", "opt", "AdamW"),
                Map.of("team", "vision"), Map.of("status", "FINISHED", "run_name", "baseline-1", "start_time", "1000"));
        assertThat(matches("metrics.loss < 0.5 and params.lr = '0.01' and tags.team = 'vision'", run)).isTrue();
        assertThat(matches("metrics.loss >= 0.5", run)).isFalse();
        assertThat(matches("metrics.missing < 1", run)).isFalse();
        assertThat(matches("metrics.bad > 0", run)).isFalse();
        assertThat(matches("params.opt LIKE 'Adam%'", run)).isTrue();
        assertThat(matches("params.opt LIKE 'adam%'", run)).isFalse();
        assertThat(matches("params.opt ILIKE 'adam_'", run)).isTrue();
        assertThat(matches("params.lr IN ('0.1', '0.01')", run)).isTrue();
        assertThat(matches("params.lr NOT IN ('0.1', '0.01')", run)).isFalse();
        assertThat(matches("tags.team != 'nlp'", run)).isTrue();
        assertThat(matches("attributes.status = 'FINISHED' and attributes.run_name LIKE 'base%'", run)).isTrue();
        assertThat(matches("attributes.start_time > 999 and attributes.start_time <= 1000", run)).isTrue();
        assertThat(matches("params.lr = '0.010'", run)).isFalse();
    }

    @Test
    void likeTreatsRegexCharactersLiterally() {
        assertThat(RunSearchPlan.like("a.c%", false).matcher("a.cdef").matches()).isTrue();
        assertThat(RunSearchPlan.like("a.c%", false).matcher("abcdef").matches()).isFalse();
        assertThat(RunSearchPlan.like("(x)_", false).matcher("(x)1").matches()).isTrue();
    }

    @Test
    void pageTokensRoundTripAndGarbageIsRejected() {
        assertThat(MlflowRunSearch.offset(MlflowRunSearch.token(1234))).isEqualTo(1234);
        assertThat(MlflowRunSearch.offset(null)).isZero();
        assertThatThrownBy(() -> MlflowRunSearch.offset("not a token")).isInstanceOf(MlflowException.class);
        assertThatThrownBy(() -> MlflowRunSearch.offset(MlflowRunSearch.token(-1))).isInstanceOf(MlflowException.class);
    }

    private static boolean matches(String filter, RunSearchPlan.Subject run) {
        return RunSearchPlan.of(RunFilter.parse(filter)).matches(run);
    }

    private static RunSearchPlan.Subject subject(Map<String, Double> metrics, Map<String, String> params,
            Map<String, String> tags, Map<String, String> attributes) {
        return new RunSearchPlan.Subject() {
            @Override
            public Double metric(String key) {
                return metrics.get(key);
            }

            @Override
            public String param(String key) {
                return params.get(key);
            }

            @Override
            public String tag(String key) {
                return tags.get(key);
            }

            @Override
            public String attribute(String key) {
                return attributes.get(key);
            }
        };
    }
}
