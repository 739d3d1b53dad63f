package dev.stepwise.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.server.support.TestDatabaseInitializer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/** A 401 sends the user to sign in and back; failed API calls read as messages, never as a blank page. */
class SignInAndErrorTests extends BrowserTest {

    @Test
    void deepLinkOpenedSignedOutLandsOnItAfterSignIn() {
        String slug = createProject(ADMIN);
        String runId = createRun(slug, Map.of("name", "deep-linked"));
        String deepLink = "/projects/" + slug + "/runs/" + runId;

        forgetSession();
        open(deepLink + "?from=mail");
        visible("login-form");
        assertThat(driver.getCurrentUrl()).contains("/login?next=");
        String next = driver.getCurrentUrl().substring(driver.getCurrentUrl().indexOf("next=") + 5);
        assertThat(URLDecoder.decode(next, StandardCharsets.UTF_8)).isEqualTo(deepLink + "?from=mail");

        submitLogin(ADMIN_USERNAME, TestDatabaseInitializer.ADMIN_PASSWORD);
        await(ExpectedConditions.urlToBe(url(deepLink + "?from=mail")));
        await(ExpectedConditions.attributeToBe(testId("run-page"), "data-run-id", runId));
        assertThat(visible("run-name").getText()).startsWith("deep-linked");
    }

    @Test
    void sessionThatEndsWhileBrowsingSendsTheNextRequestToSignIn() {
        String slug = createProject(ADMIN);
        createRun(slug, Map.of("name", "first"));
        signInAsAdmin();
        open("/projects/" + slug);
        visible("run-row");

        // The server forgets the session (expiry, restart): the next API call answers 401.
        driver.manage().deleteAllCookies();
        visible("sort-name").click();
        visible("login-form");
        assertThat(URLDecoder.decode(driver.getCurrentUrl(), StandardCharsets.UTF_8))
                .contains("/login?next=/projects/" + slug);

        submitLogin(ADMIN_USERNAME, TestDatabaseInitializer.ADMIN_PASSWORD);
        await(ExpectedConditions.urlContains("/projects/" + slug));
        visible("run-row");
    }

    @Test
    void wrongPasswordIsExplainedOnTheLoginForm() {
        forgetSession();
        open("/login");
        visible("login-form");
        driver.findElement(By.id("login-username")).sendKeys(ADMIN_USERNAME);
        driver.findElement(By.id("login-password")).sendKeys("not-the-password");
        driver.findElement(testId("login-submit")).click();
        assertThat(visible("error-message").getText()).isNotBlank();
        assertThat(driver.findElements(testId("current-user"))).isEmpty();
    }

    @Test
    void runThatDoesNotExistShowsAReadableError() {
        String slug = createProject(ADMIN);
        signInAsAdmin();
        open("/projects/" + slug + "/runs/" + UUID.randomUUID());
        String message = visible("error-message").getText();
        assertThat(message).containsIgnoringCase("not found").doesNotContain("{", "Exception", "at dev.");
        assertThat(driver.findElements(testId("run-page"))).isEmpty();
        // The rest of the page stays usable: the project header and its navigation.
        assertThat(visible("project-name").getText()).isEqualTo("Project " + slug);
        screenshot("error-missing-run");
        driver.findElement(By.linkText("Runs")).click();
        visible("runs-empty");
    }

    @Test
    void projectThatDoesNotExistAndUnknownPagesShowMessages() {
        signInAsAdmin();
        open("/projects/no-such-project/runs/" + UUID.randomUUID());
        assertThat(visible("error-message").getText()).containsIgnoringCase("not found");
        open("/no/such/page");
        assertThat(visible("not-found").getText()).isNotBlank();
        assertThat(driver.findElement(By.tagName("body")).getText()).isNotBlank();
    }
}
