package dev.stepwise.server.e2e;

import static dev.stepwise.server.support.TrackingFixtures.point;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.Api;
import dev.stepwise.server.support.Api.Bearer;
import dev.stepwise.server.support.TestDatabaseInitializer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The first thing a user does: sign in, create a project, mint an API key, let a trainer log a run
 * over HTTP with that key, then find the run and read its charts and per-epoch values.
 */
class FirstRunFlowTests extends BrowserTest {

    @Test
    void newProjectKeyAndLoggedRunShowUpWithChartsAndEpochValues() {
        // Signing in: any page sends a signed-out user to the login page.
        forgetSession();
        open("/");
        visible("login-form");
        assertThat(driver.getCurrentUrl()).contains("/login");
        screenshot("login");
        submitLogin(ADMIN_USERNAME, TestDatabaseInitializer.ADMIN_PASSWORD);
        assertThat(visible("current-user").getText()).contains(ADMIN_USERNAME);

        // Creating a project in the UI.
        visible("create-project-form");
        String slug = Api.unique("vision");
        String projectName = "Vision " + slug;
        driver.findElement(By.id("project-name")).sendKeys(projectName);
        WebElement slugInput = driver.findElement(By.id("project-slug"));
        slugInput.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        slugInput.sendKeys(slug);
        driver.findElement(By.id("project-description")).sendKeys("Image classifiers");
        screenshot("projects");
        driver.findElement(testId("create-project-submit")).click();
        await(ExpectedConditions.urlToBe(url("/projects/" + slug)));
        assertThat(visible("project-name").getText()).isEqualTo(projectName);
        assertThat(visible("runs-empty").getText()).contains(slug);

        // Minting a write key in the project settings: shown once, with a copy button.
        driver.findElement(By.linkText("Settings")).click();
        visible("api-keys-empty");
        visible("api-key-name").sendKeys("gpu-box-1");
        new Select(driver.findElement(testId("api-key-scope"))).selectByValue("write");
        driver.findElement(testId("api-key-create")).click();
        visible("api-key-reveal");
        String key = driver.findElement(testId("api-key-value")).getDomProperty("value");
        assertThat(key).isNotBlank().hasSizeGreaterThan(20);
        WebElement copy = visible("api-key-copy");
        assertThat(copy.getText()).isEqualTo("Copy");
        screenshot("settings");
        copy.click();
        await(ExpectedConditions.not(ExpectedConditions.textToBe(testId("api-key-copy"), "Copy")));
        driver.findElement(testId("api-key-done")).click();
        await(ExpectedConditions.invisibilityOfElementLocated(testId("api-key-reveal")));
        assertThat(all("api-key-row")).hasSize(1);
        assertThat(driver.getPageSource()).doesNotContain(key);

        // A trainer logs a run over HTTP with that key.
        Bearer trainer = new Bearer(key);
        TrainingCurves curves = new TrainingCurves(5, 20, 1.0);
        Api.Response created = api.post("/api/v1/projects/" + slug + "/runs", trainer, Map.of(
                "name", "resnet18-baseline", "group", "resnet18", "tags", List.of("baseline"),
                "config", Map.of("lr", 0.1, "optimizer", "sgd", "seed", 1)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String runId = created.json().get("id").asString();
        Api.Response uploaded = api.post(runPath(slug, runId) + "/metrics", trainer,
                Map.of("batchId", "epochs-0-5", "points", curves.points()));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        assertThat(uploaded.json().get("accepted").asInt()).isEqualTo(curves.points().size());

        // Finding the run in the runs table.
        driver.findElement(By.linkText("Runs")).click();
        WebElement row = visible(By.cssSelector("[data-testid=\"run-row\"][data-run-id=\"" + runId + "\"]"));
        assertThat(row.getDomAttribute("data-run-status")).isEqualTo("RUNNING");
        assertThat(row.findElement(testId("run-link")).getText()).isEqualTo("resnet18-baseline");
        assertThat(row.getText()).contains("resnet18", "baseline");
        screenshot("runs-table");

        // Its page: one drawn chart per key, summary stats and the per-epoch table.
        row.findElement(testId("run-link")).click();
        await(ExpectedConditions.attributeToBe(testId("run-page"), "data-run-id", runId));
        assertThat(visible("run-name").getText()).startsWith("resnet18-baseline");
        assertThat(visible("run-config").getText()).contains("optimizer", "sgd", "lr", "0.1");
        awaitRunChartsDrawn(TrainingCurves.KEYS.size());
        assertThat(visible("chart-grid").getDomAttribute("data-chart-count"))
                .isEqualTo(String.valueOf(TrainingCurves.KEYS.size()));
        for (String metricKey : TrainingCurves.KEYS) {
            WebElement chart = visible("chart-" + metricKey);
            assertThat(chart.findElement(By.cssSelector(".uplot-host")).getDomAttribute("data-drawn")).isEqualTo("true");
            assertThat(paintedPixels(chart)).as("painted pixels of %s", metricKey).isGreaterThan(200);
        }
        assertThat(visible("chart-train/loss").findElement(testId("chart-points")).getText()).isEqualTo("100 pts");
        assertThat(visible("chart-val/acc").findElement(testId("chart-points")).getText()).isEqualTo("5 pts");

        WebElement summaryRow = visible(By.cssSelector("[data-testid=\"metric-summary-row\"][data-metric-key=\"val/acc\"]"));
        assertThat(summaryRow.getText()).contains(TrainingCurves.format(curves.last("val/acc", 5)));

        visible("epoch-table");
        assertEpochTable(curves.perEpoch());
        screenshot("run-page");

        // X axis by epoch: every chart refetches and draws again, labelled by epoch.
        WebElement byEpoch = driver.findElement(testId("x-axis-epoch"));
        script("arguments[0].click();", byEpoch);
        await(d -> driver.findElements(By.cssSelector("[data-metric-key] .uplot-host[aria-label$=\"by epoch\"]"))
                .size() == TrainingCurves.KEYS.size());
        awaitRunChartsDrawn(TrainingCurves.KEYS.size());
        assertThat(byEpoch.isSelected()).isTrue();
        for (String metricKey : TrainingCurves.KEYS) {
            assertThat(paintedPixels(visible("chart-" + metricKey))).as("painted pixels of %s", metricKey)
                    .isGreaterThan(200);
        }
        screenshot("run-page-by-epoch");
        script("arguments[0].click();", driver.findElement(testId("x-axis-step")));
    }

    @Test
    void runsTableFiltersAndSortsThroughTheApi() {
        String slug = createProject(ADMIN);
        String slow = createRun(slug, Map.of("name", "sweep-lr-0.001", "config", Map.of("lr", 0.001)));
        String medium = createRun(slug, Map.of("name", "sweep-lr-0.01", "config", Map.of("lr", 0.01)));
        String fast = createRun(slug, Map.of("name", "sweep-lr-0.1", "config", Map.of("lr", 0.1)));
        upload(slug, slow, "acc", List.of(point("val/acc", 0, 0.71, 0)));
        upload(slug, medium, "acc", List.of(point("val/acc", 0, 0.93, 0)));
        upload(slug, fast, "acc", List.of(point("val/acc", 0, 0.85, 0)));

        signInAsAdmin();
        open("/projects/" + slug);
        await(d -> runIdsInTable().size() == 3);

        // Filter: FIELD OP VALUE, kept in the URL and answered by the API.
        WebElement filter = visible("runs-filter-input");
        filter.sendKeys("config.lr >= 0.01", Keys.ENTER);
        await(d -> runIdsInTable().equals(List.of(fast, medium)));
        assertThat(driver.getCurrentUrl()).contains("filter=");

        // A summary column, then sort by it both ways.
        script("document.querySelector('details.columns-chooser').open = true;");
        WebElement column = visible("runs-column-input");
        column.sendKeys("val/acc.max", Keys.ENTER);
        visible("sort-summary.val/acc.max").click();
        await(d -> runIdsInTable().equals(List.of(fast, medium)));
        await(ExpectedConditions.urlContains("sort=summary.val"));
        assertThat(cellTexts("cell-summary.val/acc.max")).containsExactly("0.85", "0.93");
        visible("sort-summary.val/acc.max").click();
        await(d -> runIdsInTable().equals(List.of(medium, fast)));
        assertThat(cellTexts("cell-summary.val/acc.max")).containsExactly("0.93", "0.85");

        // Removing the filter brings the third run back, still sorted by the column.
        driver.findElement(By.cssSelector("[aria-label=\"Remove filter config.lr >= 0.01\"]")).click();
        await(d -> runIdsInTable().equals(List.of(medium, fast, slow)));

        // Sorting by name ascending.
        visible("sort-name").click();
        await(d -> runIdsInTable().equals(List.of(slow, medium, fast)));
        screenshot("runs-table-filtered-sorted");
    }

    private void assertEpochTable(Map<Integer, Map<String, Double>> expected) {
        List<WebElement> rows = all("epoch-row");
        assertThat(rows).extracting(r -> r.getDomAttribute("data-epoch"))
                .containsExactlyElementsOf(expected.keySet().stream().map(String::valueOf).toList());
        for (WebElement row : rows) {
            int epoch = Integer.parseInt(row.getDomAttribute("data-epoch"));
            expected.get(epoch).forEach((key, value) -> {
                String cell = row.findElement(By.cssSelector("td[data-key=\"" + key + "\"]")).getText();
                assertThat(cell).as("epoch %d, %s (expected %s)", epoch, key, value)
                        .isEqualTo(TrainingCurves.format(value));
            });
        }
    }

    static List<String> runIdsInTable() {
        return all("run-row").stream().map(r -> r.getDomAttribute("data-run-id")).toList();
    }

    static List<String> cellTexts(String testId) {
        return all(testId).stream().map(WebElement::getText).toList();
    }
}
