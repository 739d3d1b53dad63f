package dev.stepwise.server.metric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.metric.EpochReducer.Rule;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class EpochReductionRulesTests {

    @Test
    void keysWithoutARuleUseTheSeedDefaults() {
        assertThat(EpochReduction.defaultFor("train/lr")).isEqualTo(EpochReduction.LAST);
        assertThat(EpochReduction.defaultFor("grad_norm")).isEqualTo(EpochReduction.MEDIAN);
        assertThat(EpochReduction.defaultFor("val/time")).isEqualTo(EpochReduction.MAX);
        assertThat(EpochReduction.defaultFor("train/loss")).isEqualTo(EpochReduction.MEAN);
    }

    @Test
    void theFirstMatchingRuleWinsCaseInsensitively() {
        List<Rule> rules = List.of(new Rule("val/*", EpochReduction.MAX), new Rule("*loss", EpochReduction.MIN));
        assertThat(EpochReducer.reductionFor("VAL/loss", rules)).isEqualTo(EpochReduction.MAX);
        assertThat(EpochReducer.reductionFor("train/loss", rules)).isEqualTo(EpochReduction.MIN);
        assertThat(EpochReducer.reductionFor("train/lr", rules)).isEqualTo(EpochReduction.LAST);
    }

    @Test
    void globCharactersOtherThanTheStarAreLiteral() {
        assertThat(Glob.of("a.b*").matches("a.bc")).isTrue();
        assertThat(Glob.of("a.b*").matches("axbc")).isFalse();
        assertThat(Glob.of("(x)[y]").matches("(X)[y]")).isTrue();
        assertThat(Glob.of("*").matches("")).isTrue();
        assertThat(Glob.of("").matches("")).isTrue();
        assertThat(Glob.of("").matches("a")).isFalse();
    }

    @Test
    void segmentsMatchInOrderWithoutOverlappingThePrefixOrSuffix() {
        assertThat(Glob.of("a*a").matches("a")).isFalse();
        assertThat(Glob.of("a*a").matches("aa")).isTrue();
        assertThat(Glob.of("ab*ba").matches("aba")).isFalse();
        assertThat(Glob.of("*x*y*").matches("yx")).isFalse();
        assertThat(Glob.of("*x*y*").matches("xy")).isTrue();
        assertThat(Glob.of("train/*/loss").matches("train/a/b/loss")).isTrue();
        assertThat(Glob.of("**loss").matches("val/loss")).isTrue();
    }

    @Test
    void aPatternThatMadeTheRegexBacktrackIsDecidedByOneScan() {
        // *a*a*…*b against 250 'a's took the former regex over a minute; here each segment is one indexOf.
        assertThat(Glob.of("*a*a*a*a*a*a*a*a*a*a*b").matches("a".repeat(250))).isFalse();
        assertThat(Glob.of("*a*a*a*a*a*a*a*a*a*a*b").matches("a".repeat(250) + "b")).isTrue();
    }

    @Property(tries = 2000)
    void matchesLikeTheEquivalentRegex(@ForAll @StringLength(max = 8) @Chars({'a', 'b', '*'}) String pattern,
            @ForAll @StringLength(max = 10) @Chars({'a', 'b'}) String key) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : Pattern.quote(String.valueOf(c)));
        }
        assertThat(Glob.of(pattern).matches(key)).as("%s ~ %s", pattern, key)
                .isEqualTo(Pattern.compile(regex.toString()).matcher(key).matches());
    }
}
