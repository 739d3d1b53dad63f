package dev.stepwise.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModeTests {

    @Test
    void parsesModeNamesAndTrainLogDisabledWords() {
        assertThat(Mode.parse(null)).isEqualTo(Mode.ONLINE);
        assertThat(Mode.parse("")).isEqualTo(Mode.ONLINE);
        assertThat(Mode.parse("Online")).isEqualTo(Mode.ONLINE);
        assertThat(Mode.parse("OFFLINE")).isEqualTo(Mode.OFFLINE);
        for (String w : new String[] {"false", "off", "none", "no", "disabled", " Disabled "}) {
            assertThat(Mode.parse(w)).as(w).isEqualTo(Mode.DISABLED);
        }
    }

    @Test
    void rejectsUnknownWords() {
        assertThatThrownBy(() -> Mode.parse("sometimes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sometimes");
    }
}
