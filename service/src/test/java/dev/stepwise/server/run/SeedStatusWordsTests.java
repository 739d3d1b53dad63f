package dev.stepwise.server.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.ApiTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seed tracker's status words {@code completed} and {@code failed} in {@code PATCH /runs/{id}}. */
class SeedStatusWordsTests extends ApiTest {

    @Test
    void completedFinishesAndFailedFailsARun() {
        String slug = createProject(ADMIN);
        String completed = createRun(slug);
        assertThat(api.patch(runPath(slug, completed), ADMIN, Map.of("status", "completed")).json().get("status")
                .asString()).isEqualTo("FINISHED");
        String failed = createRun(slug);
        assertThat(api.patch(runPath(slug, failed), ADMIN, Map.of("status", "failed")).json().get("status")
                .asString()).isEqualTo("FAILED");
        assertThat(api.get(runPath(slug, failed), ADMIN).json().get("endedAt").isNull()).isFalse();
        assertThat(api.get("/api/v1/projects/" + slug + "/runs?status=completed", ADMIN).json().get("runs").size())
                .isEqualTo(1);
    }

    @Test
    void otherWordsAreStillRejected() {
        String slug = createProject(ADMIN);
        String run = createRun(slug);
        var response = api.patch(runPath(slug, run), ADMIN, Map.of("status", "done"));
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.get(runPath(slug, run), ADMIN).json().get("status").asString()).isEqualTo("RUNNING");
    }
}
