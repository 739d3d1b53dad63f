package dev.stepwise.server.metric;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.metric.EpochReducer.Rule;
import java.util.List;
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
        assertThat(EpochReducer.glob("a.b*").matcher("a.bc").matches()).isTrue();
        assertThat(EpochReducer.glob("a.b*").matcher("axbc").matches()).isFalse();
        assertThat(EpochReducer.glob("(x)[y]").matcher("(x)[y]").matches()).isTrue();
        assertThat(EpochReducer.glob("*").matcher("").matches()).isTrue();
    }
}
