package dev.stepwise.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/** While a run is RUNNING its page and the runs table follow new data without a reload. */
class LiveRunTests extends BrowserTest {

    @Test
    void runPageFollowsPointsLoggedWhileItIsOpen() {
        String slug = createProject(ADMIN);
        String runId = createRun(slug, Map.of("name", "live-run"));
        TrainingCurves curves = new TrainingCurves(5, 20, 1.0);
        upload(slug, runId, "epochs-0-2", curves.points(0, 2));

        signInAsAdmin();
        open("/projects/" + slug + "/runs/" + runId);
        visible("run-page");
        awaitRunChartsDrawn(TrainingCurves.KEYS.size());
        assertThat(visible("run-name").findElements(By.cssSelector(".live-note"))).hasSize(1);
        assertThat(pointsOf("train/loss")).isEqualTo("40 pts");
        await(d -> all("epoch-row").size() == 2);
        // A marker on the window survives only if the page is never reloaded.
        script("window.__stepwiseNoReload = true;");

        upload(slug, runId, "epochs-2-5", curves.points(2, 5));

        await(d -> "100 pts".equals(pointsOf("train/loss")) && "5 pts".equals(pointsOf("val/acc")));
        await(d -> all("epoch-row").size() == 5);
        String lastValAcc = TrainingCurves.format(curves.last("val/acc", 5));
        await(d -> summaryRow("val/acc").getText().contains(lastValAcc));
        assertThat(summaryRow("train/loss").getText()).contains("100");
        WebElement lastEpoch = driver.findElement(By.cssSelector("[data-testid=\"epoch-row\"][data-epoch=\"4\"]"));
        assertThat(lastEpoch.findElement(By.cssSelector("td[data-key=\"val/acc\"]")).getText()).isEqualTo(lastValAcc);
        awaitRunChartsDrawn(TrainingCurves.KEYS.size());
        assertThat(script("return window.__stepwiseNoReload === true;")).isEqualTo(true);

        // Finishing the run stops the live note, still without a reload.
        Api.Response finished = api.patch(runPath(slug, runId), ADMIN, Map.of("status", "FINISHED"));
        assertThat(finished.status()).as(finished.toString()).isEqualTo(200);
        await(d -> visible("run-name").findElements(By.cssSelector(".live-note")).isEmpty());
        assertThat(script("return window.__stepwiseNoReload === true;")).isEqualTo(true);
    }

    @Test
    void runsTableFollowsNewRunsAndStatusChanges() {
        String slug = createProject(ADMIN);
        signInAsAdmin();
        open("/projects/" + slug);
        visible("runs-empty");
        script("window.__stepwiseNoReload = true;");

        // A trainer starts logging: the empty state turns into the table.
        String runId = createRun(slug, Map.of("name", "started-while-watching"));
        WebElement row = visible(By.cssSelector("[data-testid=\"run-row\"][data-run-id=\"" + runId + "\"]"));
        assertThat(row.getDomAttribute("data-run-status")).isEqualTo("RUNNING");

        Api.Response failed = api.patch(runPath(slug, runId), ADMIN, Map.of("status", "FAILED"));
        assertThat(failed.status()).as(failed.toString()).isEqualTo(200);
        await(d -> "FAILED".equals(driver.findElement(By.cssSelector(
                "[data-testid=\"run-row\"][data-run-id=\"" + runId + "\"]")).getDomAttribute("data-run-status")));
        assertThat(script("return window.__stepwiseNoReload === true;")).isEqualTo(true);
    }

    private static String pointsOf(String metricKey) {
        return driver.findElement(testId("chart-" + metricKey)).findElement(testId("chart-points")).getText();
    }

    private static WebElement summaryRow(String metricKey) {
        return driver.findElement(By.cssSelector(
                "[data-testid=\"metric-summary-row\"][data-metric-key=\"" + metricKey + "\"]"));
    }
}
