package dev.stepwise.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.TrackingFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Names, config values, tags, metric keys and artifact URIs come from trainers and are shown as
 * literal text: markup in them is never parsed, so nothing in them runs.
 */
class UntrustedTextTests extends BrowserTest {

    private static final String RUN_NAME = "<img src=x onerror=alert(1)>";
    private static final String CONFIG_VALUE = "<script>alert(2)</script>";
    private static final String CONFIG_KEY = "<svg onload=alert(3)>";
    private static final String TAG = "<b onmouseover=alert(4)>bold</b>";
    private static final String GROUP = "<iframe src=javascript:alert(5)>";
    private static final String METRIC_KEY = "val/<img src=x onerror=alert(6)>";
    private static final String PROJECT_NAME = "<img src=x onerror=alert(7)> project";

    /** Elements that markup in the test data would have created if it had been parsed as HTML. */
    private static final String INJECTED = "img[src=x], img[src='x'], script:not([src]), svg[onload], iframe, "
            + "b[onmouseover], a[href^='javascript']";

    @Test
    void markupInRunDataShowsAsLiteralTextAndRunsNothing() {
        String slug = Api.unique("xss");
        Api.Response project = api.post("/api/v1/projects", ADMIN,
                Map.of("slug", slug, "name", PROJECT_NAME, "description", "<i>not italic</i>"));
        assertThat(project.status()).as(project.toString()).isEqualTo(201);
        String runId = createRun(slug, Map.of("name", RUN_NAME, "group", GROUP, "tags", List.of(TAG),
                "notes", "<a href=javascript:alert(8)>notes</a>",
                "config", Map.of("optimizer", CONFIG_VALUE, CONFIG_KEY, 1)));
        String plainRun = createRun(slug, Map.of("name", "plain", "config", Map.of("optimizer", "sgd")));
        upload(slug, runId, "points", List.of(TrackingFixtures.point(METRIC_KEY, 0, 0.5, 0),
                TrackingFixtures.point(METRIC_KEY, 1, 0.4, 0), TrackingFixtures.point("train/loss", 0, 1.0, 0)));
        upload(slug, plainRun, "points", List.of(TrackingFixtures.point("train/loss", 0, 0.9, 0)));
        Api.Response artifact = api.post(runPath(slug, runId) + "/artifacts", ADMIN, Map.of(
                "name", "<img src=x onerror=alert(9)>.pt", "uri", "javascript:alert(10)",
                "description", "<script>alert(11)</script>"));
        assertThat(artifact.status()).as(artifact.toString()).isEqualTo(201);

        signInAsAdmin();

        // Projects list and runs table.
        visible("project-row-" + slug);
        assertThat(driver.findElement(testId("project-row-" + slug)).getText()).contains(PROJECT_NAME, "<i>not italic</i>");
        assertNothingInjected();

        open("/projects/" + slug);
        WebElement row = visible(By.cssSelector("[data-testid=\"run-row\"][data-run-id=\"" + runId + "\"]"));
        assertThat(visible("project-name").getText()).isEqualTo(PROJECT_NAME);
        assertThat(row.findElement(testId("run-link")).getText()).isEqualTo(RUN_NAME);
        assertThat(row.getText()).contains(TAG, GROUP);
        assertNothingInjected();
        screenshot("xss-runs-table");

        // Run page: title, overview, config, chart titles and uPlot's legend, artifacts.
        row.findElement(testId("run-link")).click();
        visible("run-page");
        awaitRunChartsDrawn(2);
        assertThat(visible("run-name").getText()).startsWith(RUN_NAME);
        assertThat(visible("run-tags").getText()).isEqualTo(TAG);
        assertThat(visible("run-overview").getText()).contains(GROUP, "<a href=javascript:alert(8)>notes</a>");
        assertThat(visible("run-config").getText()).contains(CONFIG_VALUE, CONFIG_KEY);
        WebElement chart = visible("chart-" + METRIC_KEY);
        assertThat(chart.findElement(By.cssSelector(".chart-key")).getText()).isEqualTo(METRIC_KEY);
        assertThat(chart.findElement(By.cssSelector(".u-legend")).getText()).contains(METRIC_KEY);
        WebElement artifacts = visible("artifacts-table");
        assertThat(artifacts.getText()).contains("<img src=x onerror=alert(9)>.pt", "javascript:alert(10)",
                "<script>alert(11)</script>");
        assertThat(artifacts.findElements(By.tagName("a"))).isEmpty();
        assertNothingInjected();
        screenshot("xss-run-page");

        // Compare: the legend lists the differing config values as text.
        open("/projects/" + slug + "/compare?run=" + runId + "&run=" + plainRun);
        visible("compare-legend");
        await(ExpectedConditions.textToBePresentInElementLocated(testId("compare-legend"), CONFIG_VALUE));
        assertThat(visible("compare-differing-keys").getText()).contains(CONFIG_KEY, "optimizer");
        assertThat(visible("compare-legend").getText()).contains(RUN_NAME, "optimizer=" + CONFIG_VALUE);
        await(d -> driver.findElements(By.cssSelector(
                "[data-testid^=\"compare-chart-\"] .uplot-host[data-drawn=\"true\"]")).size() == 2);
        assertNothingInjected();
    }

    private static void assertNothingInjected() {
        assertThat(alertPresent()).as("an alert opened").isFalse();
        assertThat(driver.findElements(By.cssSelector(INJECTED))).as("elements parsed from untrusted text").isEmpty();
    }
}
