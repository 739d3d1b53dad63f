package dev.stepwise.server.metric;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyTableTests {

    private static int id(KeyTable table, String key) {
        // Keys arrive inside a larger parser buffer: match on an offset slice, as the parser does.
        char[] buf = ("[" + key + "]").toCharArray();
        return table.idOf(buf, 1, key.length());
    }

    @Test
    void aKeySeenBeforeGetsItsIdBackAndCollidingHashesStayApart() {
        KeyTable table = new KeyTable();
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        assertThat(id(table, "Aa")).isEqualTo(0);
        assertThat(id(table, "BB")).isEqualTo(1);
        assertThat(id(table, "Aa")).isEqualTo(0);
        assertThat(id(table, "BB")).isEqualTo(1);
        assertThat(table.keys()).containsExactly("Aa", "BB");
    }

    @Test
    void growingPastTheInitialTableKeepsEveryId() {
        KeyTable table = new KeyTable();
        for (int i = 0; i < 1000; i++) {
            assertThat(id(table, "train/key-" + i)).isEqualTo(i);
        }
        for (int i = 999; i >= 0; i--) {
            assertThat(id(table, "train/key-" + i)).isEqualTo(i);
        }
        assertThat(table.keys()).hasSize(1000);
    }

    @Test
    void invalidKeysGetNoId() {
        KeyTable table = new KeyTable();
        assertThat(id(table, "")).isEqualTo(-1);
        assertThat(id(table, "tab\there")).isEqualTo(-1);
        assertThat(id(table, "x".repeat(PointBatchParser.MAX_KEY_LENGTH + 1))).isEqualTo(-1);
        assertThat(table.keys()).isEmpty();
    }
}
