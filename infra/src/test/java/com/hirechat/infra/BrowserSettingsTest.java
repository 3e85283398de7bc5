package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;

/** The client's email settings (settings.js) in headless Chromium: what the dialog saves is what the API stores. */
class BrowserSettingsTest {

    @TempDir
    Path profile;

    @Test
    void theSettingsDialogSavesPreferencesAndShowsTheServersRefusal() {
        Chromium.ensureInstalled();
        try (var app = TestServers.onFreshDatabase()) {
            var browser = Chromium.start(profile);
            try {
                var page = new ChatPage(browser, app.uri());
                page.signInFresh("sam");
                browser.findElement(By.id("email-settings")).click();
                await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("settings-dialog"))
                        .getAttribute("open") != null);
                assertThat(Browser.seriousAccessibilityViolations(browser)).as("the settings dialog").isEmpty();
                // no address from the host site yet: the dialog says so
                assertThat(browser.findElement(By.id("settings-no-email")).isDisplayed()).isTrue();
                var delay = browser.findElement(By.id("settings-delay"));
                delay.clear();
                delay.sendKeys("30");
                browser.findElement(By.id("settings-quiet")).click();
                var zone = browser.findElement(By.id("settings-zone"));
                zone.clear();
                zone.sendKeys("Mars/Olympus");
                browser.findElement(By.id("settings-save")).click();
                // the server's refusal is shown and the dialog stays open
                await().atMost(Duration.ofSeconds(10)).until(() -> !browser.findElement(By.id("settings-error"))
                        .getText().isEmpty());
                assertThat(browser.findElement(By.id("settings-dialog")).getAttribute("open")).isNotNull();

                zone.clear();
                zone.sendKeys("Europe/Berlin");
                browser.findElement(By.id("settings-save")).click();
                await().atMost(Duration.ofSeconds(10)).until(() -> browser.findElement(By.id("settings-dialog"))
                        .getAttribute("open") == null);
                var stored = new ApiClient(app.uri()).get("api/me/preferences", TestServers.token("sam")).body();
                assertThat(stored.toString()).isEqualTo("{\"emailDigests\":true,\"delayMinutes\":30,"
                        + "\"quietHours\":{\"start\":\"22:00\",\"end\":\"07:00\"},\"timeZone\":\"Europe/Berlin\","
                        + "\"hasEmail\":false}");
                assertThat(((JavascriptExecutor) browser).executeScript("return document.querySelectorAll('dialog[open]').length"))
                        .isEqualTo(0L);
            } finally {
                browser.quit();
            }
        }
    }
}
