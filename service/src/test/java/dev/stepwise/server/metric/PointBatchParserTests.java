package dev.stepwise.server.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.server.web.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The upload parser on its own: no database, no HTTP. */
class PointBatchParserTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long NOW = 1_700_000_000_000L;

    private static PointBatch parse(String body) {
        return PointBatchParser.parse(JSON.createParser(body), NOW);
    }

    @Test
    void keysAreNumberedInOrderOfFirstAppearance() {
        PointBatch batch = parse("""
                {"batchId": "b-1", "points": [
                  {"key": "loss", "step": 1, "value": 0.5},
                  {"key": "acc", "step": 1, "value": 0.1, "epoch": 0},
                  {"key": "loss", "step": 2, "value": "NaN", "time": 1700000000123}
                ]}""");
        assertThat(batch.batchId()).isEqualTo("b-1");
        assertThat(batch.keys()).containsExactly("loss", "acc");
        assertThat(batch.keyIndex()).containsExactly(0, 1, 0);
        assertThat(batch.steps()).containsExactly(1, 1, 2);
        assertThat(batch.epochs()).containsExactly(PointBatch.NO_EPOCH, 0, PointBatch.NO_EPOCH);
        assertThat(batch.values()[0]).isEqualTo(0.5);
        assertThat(batch.values()[2]).isNaN();
        assertThat(batch.times()[2]).isEqualTo(1_700_000_000_123L);
        assertThat(batch.times()[0]).as("a point without time gets the receive time").isEqualTo(NOW);
    }

    @Test
    void nonFiniteWordsAreValues() {
        PointBatch batch = parse("""
                {"points": [{"key": "x", "step": 0, "value": "Infinity"},
                            {"key": "x", "step": 1, "value": "-Infinity"}]}""");
        assertThat(batch.values()).containsExactly(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
    }

    @Test
    void badPointsAreReportedByIndexAndFieldAndNothingIsAccepted() {
        assertThatThrownBy(() -> parse("""
                {"points": [{"key": "ok", "step": 0, "value": 1},
                            {"key": "", "step": 1, "value": 1},
                            {"key": "x", "step": -1, "value": 1},
                            {"key": "x", "step": 2, "value": "high"}]}"""))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(400);
                    @SuppressWarnings("unchecked")
                    List<Object> errors = (List<Object>) e.getBody().getProperties().get("errors");
                    assertThat(errors).hasSizeGreaterThanOrEqualTo(3);
                    assertThat(errors.toString()).contains("points[1]").contains("points[2]").contains("points[3]");
                });
    }

    @Test
    void malformedJsonIsAClientError() {
        assertThatThrownBy(() -> parse("{\"points\": [{\"key\": \"x\", \"step\": 1,"))
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.getStatusCode().value()).isEqualTo(400));
    }

    @Test
    void moreThanTheLimitOfPointsIsTooLarge() {
        StringBuilder body = new StringBuilder("{\"points\": [");
        for (int i = 0; i <= PointBatchParser.MAX_POINTS; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":\"k\",\"step\":").append(i).append(",\"value\":1}");
        }
        String json = body.append("]}").toString();
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.getStatusCode().value()).isEqualTo(413));
    }

    @Test
    void aKeyLongerThanTheLimitIsRejected() {
        String key = "k".repeat(PointBatchParser.MAX_KEY_LENGTH + 1);
        assertThatThrownBy(() -> parse("{\"points\": [{\"key\": \"" + key + "\", \"step\": 1, \"value\": 1}]}"))
                .isInstanceOf(ProblemException.class);
        assertThat(parse("{\"points\": [{\"key\": \"" + key.substring(1) + "\", \"step\": 1, \"value\": 1}]}")
                .keys()).hasSize(1);
    }
}
