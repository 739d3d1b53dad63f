package dev.stepwise.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/** Comparing runs: pick them in the runs table, read the overlaid charts and a legend of what differs. */
class CompareRunsTests extends BrowserTest {

    /** The first two colors of the frontend's chart palette (Okabe–Ito blue and vermillion). */
    private static final int[] FIRST_COLOR = {0x00, 0x72, 0xB2};
    private static final int[] SECOND_COLOR = {0xD5, 0x5E, 0x00};

    @Test
    void twoRunsSelectedInTheTableAreOverlaidWithALegendOfDifferingConfigOnly() {
        String slug = createProject(ADMIN);
        String sgd = createRun(slug, Map.of("name", "sgd-lr-0.1", "group", "sgd", "config",
                Map.of("lr", 0.1, "optimizer", "sgd", "batch_size", 128, "seed", 1)));
        String sgdSlow = createRun(slug, Map.of("name", "sgd-lr-0.01", "group", "sgd", "config",
                Map.of("lr", 0.01, "optimizer", "sgd", "batch_size", 128, "seed", 2)));
        String unrelated = createRun(slug, Map.of("name", "adam-not-compared", "config",
                Map.of("lr", 0.001, "optimizer", "adam", "batch_size", 64, "seed", 3)));
        upload(slug, sgd, "log", new TrainingCurves(4, 25, 1.0).points());
        upload(slug, sgdSlow, "log", new TrainingCurves(4, 25, 1.6).points());
        upload(slug, unrelated, "log", new TrainingCurves(4, 25, 0.5).points());

        signInAsAdmin();
        open("/projects/" + slug);
        await(d -> all("run-row").size() == 3);
        assertThat(visible("compare-selected").isEnabled()).isFalse();
        selectRun(sgd);
        selectRun(sgdSlow);
        WebElement compare = await(ExpectedConditions.elementToBeClickable(testId("compare-selected")));
        assertThat(compare.getText()).isEqualTo("Compare 2 runs");
        compare.click();

        visible("compare-page");
        assertThat(driver.getCurrentUrl()).contains("/projects/" + slug + "/compare?", "run=" + sgd, "run=" + sgdSlow)
                .doesNotContain(unrelated);
        visible("compare-legend");
        assertThat(visible("compare-differing-keys").getText()).isEqualTo("Config keys that differ: lr, seed");
        List<WebElement> entries = all("compare-legend-entry");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).getText()).contains("sgd-lr-0.1", "lr=0.1, seed=1");
        assertThat(entries.get(1).getText()).contains("sgd-lr-0.01", "lr=0.01, seed=2");
        assertThat(visible("compare-legend").getText()).doesNotContain("optimizer", "batch_size", "adam");

        visible("compare-charts");
        await(d -> driver.findElements(By.cssSelector(
                "[data-testid^=\"compare-chart-\"] .uplot-host[data-drawn=\"true\"]")).size() == TrainingCurves.KEYS.size());
        // Both runs are drawn into the same canvas, each in its own color (their lr schedules coincide).
        for (String key : List.of("train/loss", "val/loss", "train/acc", "val/acc")) {
            WebElement chart = visible("compare-chart-" + key);
            assertThat(pixelsNear(chart, FIRST_COLOR)).as("first run's line in %s", key).isGreaterThan(30);
            assertThat(pixelsNear(chart, SECOND_COLOR)).as("second run's line in %s", key).isGreaterThan(30);
        }
        screenshot("compare");

        // Grouping by run group puts both runs into one mean ± std band.
        new Select(visible("compare-group-by")).selectByValue("group");
        await(ExpectedConditions.urlContains("by=group"));
        await(d -> all("compare-legend-entry").size() == 1);
        assertThat(all("compare-legend-entry").get(0).getText()).contains("mean ± std of 2 runs");
        await(d -> driver.findElements(By.cssSelector(
                "[data-testid^=\"compare-chart-\"] .uplot-host[data-drawn=\"true\"]")).size() == TrainingCurves.KEYS.size());
        screenshot("compare-grouped");
    }

    private void selectRun(String runId) {
        WebElement checkbox = visible(By.cssSelector(
                "[data-testid=\"run-row\"][data-run-id=\"" + runId + "\"] [data-testid=\"run-select\"]"));
        checkbox.click();
        assertThat(checkbox.isSelected()).isTrue();
    }

    /** Pixels of the chart's canvas within a small distance of {@code rgb} (anti-aliasing blurs line edges). */
    private static long pixelsNear(WebElement chart, int[] rgb) {
        return ((Number) script("""
                const [r, g, b] = arguments[1];
                const canvas = arguments[0].querySelector('canvas');
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let near = 0;
                for (let i = 0; i < pixels.length; i += 4) {
                  if (pixels[i + 3] > 200 && Math.abs(pixels[i] - r) + Math.abs(pixels[i + 1] - g)
                      + Math.abs(pixels[i + 2] - b) < 60) near++;
                }
                return near;
                """, chart, List.of(rgb[0], rgb[1], rgb[2]))).longValue();
    }
}
