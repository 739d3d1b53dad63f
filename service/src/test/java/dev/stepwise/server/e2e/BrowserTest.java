package dev.stepwise.server.e2e;

import dev.stepwise.server.support.ApiTest;
import dev.stepwise.server.support.TestDatabaseInitializer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Base of the browser tests: the whole service on a random port and real PostgreSQL (from
 * {@link ApiTest}), driven through the web app in one headless Chromium per test class.
 *
 * <p>Only the machine's Debian {@code chromium} and {@code chromedriver} are used; both paths are
 * given explicitly so Selenium Manager never runs (nothing can be downloaded on the build machines).
 */
abstract class BrowserTest extends ApiTest {

    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    static final String ADMIN_USERNAME = "admin";
    static final Path OUTPUT = Path.of("target", "e2e");
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Counts uPlot charts of the run page that have drawn at least once. */
    static final String DRAWN_RUN_CHARTS = "return document.querySelectorAll("
            + "'[data-testid^=\"chart-\"][data-metric-key] .uplot-host[data-drawn=\"true\"]').length;";

    static ChromeDriver driver;
    private static Path profile;

    @BeforeAll
    static void startBrowser() throws IOException {
        profile = Files.createTempDirectory("stepwise-e2e-chromium");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile);
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(new Dimension(1400, 1000));
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---- navigation and waiting -------------------------------------------------------------------------------

    String url(String path) {
        return api.baseUrl() + path;
    }

    void open(String path) {
        driver.get(url(path));
    }

    static By testId(String id) {
        return By.cssSelector("[data-testid=\"" + id.replace("\"", "\\\"") + "\"]");
    }

    static WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(driver, TIMEOUT, Duration.ofMillis(50));
        // React re-renders replace elements while a condition looks at them; look again.
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    static <T> T await(ExpectedCondition<T> condition) {
        return waiting().until(condition);
    }

    static WebElement visible(By by) {
        return await(ExpectedConditions.visibilityOfElementLocated(by));
    }

    static WebElement visible(String testId) {
        return visible(testId(testId));
    }

    static List<WebElement> all(String testId) {
        return driver.findElements(testId(testId));
    }

    static Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    static long drawnRunCharts() {
        return ((Number) script(DRAWN_RUN_CHARTS)).longValue();
    }

    /** Waits until {@code count} run charts have drawn and no chart still shows its loading placeholder. */
    static void awaitRunChartsDrawn(int count) {
        await(d -> drawnRunCharts() == count
                && driver.findElements(By.cssSelector("[data-testid=\"chart-grid\"] [aria-busy=\"true\"]")).isEmpty());
    }

    /** Number of non-transparent pixels on the canvas inside {@code chart}, i.e. whether uPlot painted anything. */
    static long paintedPixels(WebElement chart) {
        return ((Number) script("""
                const canvas = arguments[0].querySelector('canvas');
                if (!canvas || canvas.width === 0 || canvas.height === 0) return 0;
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                let painted = 0;
                for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
                return painted;
                """, chart)).longValue();
    }

    /** A page alert would mean injected script ran; the test data must never produce one. */
    static boolean alertPresent() {
        try {
            driver.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    // ---- sign in / out ----------------------------------------------------------------------------------------

    /** Fills in the login form that is on screen and waits until the app shows the signed-in user. */
    void submitLogin(String username, String password) {
        visible("login-form");
        WebElement user = driver.findElement(By.id("login-username"));
        user.clear();
        user.sendKeys(username);
        WebElement pass = driver.findElement(By.id("login-password"));
        pass.clear();
        pass.sendKeys(password);
        driver.findElement(testId("login-submit")).click();
        visible("current-user");
    }

    /** Signs in as the admin through the login page, starting from a signed-out browser. */
    void signInAsAdmin() {
        forgetSession();
        open("/login");
        submitLogin(ADMIN_USERNAME, TestDatabaseInitializer.ADMIN_PASSWORD);
    }

    /** Forgets the session, as if the browser had been closed (the server-side session stays valid). */
    void forgetSession() {
        open("/login");
        driver.manage().deleteAllCookies();
        script("window.localStorage.clear();");
    }

    // ---- output -----------------------------------------------------------------------------------------------

    /** Saves a screenshot of the current page as {@code target/e2e/screenshots/<name>.png}. */
    static Path screenshot(String name) {
        try {
            Path dir = OUTPUT.resolve("screenshots");
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
