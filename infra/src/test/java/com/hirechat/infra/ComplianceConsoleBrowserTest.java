package com.hirechat.infra;

import static com.hirechat.infra.Browser.DESKTOP;
import static com.hirechat.infra.Browser.press;
import static com.hirechat.infra.Browser.tabTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;


/**
 * The compliance console (docs/compliance.md#console) in headless Chromium at 1440x900, against the default local
 * run: each of its five parts, by keyboard where a person would use it, with no serious or critical axe-core
 * violation on any screen; the replay's slider shows at three instants what the transcript API says.
 */
class ComplianceConsoleBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String REASON = "MATTER-2026/17 review";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path profile;

    private static ChatApplication server;
    private static URI base;
    private static ApiClient api;
    private static WebDriver browser;
    private static String conversation;
    private static String auditor;

    @BeforeAll
    static void start() {
        Chromium.ensureInstalled();
        server = TestServers.withEmbeddedDatabaseIn(dataDir);
        base = server.uri();
        api = new ApiClient(base);
        var seeker = api.login("console-seeker");
        var recruiter = api.login("console-recruiter");
        conversation = api.post("api/conversations", seeker,
                "{\"with\":\"console-recruiter\",\"job\":{\"id\":\"job-9\",\"title\":\"Welder\"}}").body()
                .path("conversationId").asText();
        var first = send(seeker, "s-1", "Is the offer still open?");
        send(recruiter, "r-1", "Yes, the offer stands");
        api.patch("api/conversations/" + conversation + "/messages/" + first, seeker,
                "{\"text\":\"Is the welding offer still open?\"}");
        var slip = send(recruiter, "r-2", "my private number is 555-0199");
        api.delete("api/conversations/" + conversation + "/messages/" + slip, recruiter);
        send(seeker, "s-2", "Thanks, I accept");
        auditor = api.loginWithRoles("console-auditor", "compliance");
        TestServers.awaitProjectionsCaughtUp(base);
        browser = Chromium.start(profile);
        Browser.viewport(browser, DESKTOP);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static String send(String token, String clientId, String text) {
        var ack = api.post("api/conversations/" + conversation + "/messages", token,
                "{\"clientMessageId\":\"" + clientId + "\",\"text\":\"" + text + "\"}");
        assertThat(ack.status()).isEqualTo(200);
        return ack.body().path("messageId").asText();
    }

    @BeforeEach
    void signedInWithAReason() {
        // cleared on another page of the origin: the console, still starting, could write its token back
        browser.get(base + "jobs.html");
        Browser.script(browser, "sessionStorage.clear()");
        browser.get(base + "compliance");
        until("the development sign-in", d -> d.findElement(By.id("sign-in-form")).isDisplayed());
        assertThat(Browser.seriousAccessibilityViolations(browser)).as("sign-in").isEmpty();
        tabTo(browser, "#sign-in-user", false, 5);
        press(browser, "console-auditor", Keys.ENTER);
        until("the reason asked", d -> d.findElement(By.id("reason-input")).isDisplayed());
        assertThat(Browser.seriousAccessibilityViolations(browser)).as("reason").isEmpty();
        press(browser, REASON, Keys.ENTER);
        until("the console", d -> d.findElement(By.id("console")).isDisplayed());
    }

    @Test
    void findSearchesByWordsAndFiltersWithCounts() {
        browser.findElement(By.name("q")).sendKeys("offer");
        browser.findElement(By.name("job")).sendKeys("job-9", Keys.ENTER);
        until("the result", d -> text("find-summary").startsWith("1 conversation(s), 2 matching message(s)"));
        var row = browser.findElement(By.cssSelector("#find-results tbody tr"));
        assertThat(row.getText()).contains("console-recruiter, console-seeker").contains("2");
        Screenshots.take(browser, "console-find");
        assertThat(Browser.seriousAccessibilityViolations(browser)).as("find").isEmpty();

        // the removed message's words are not found, the edited message's new words are
        browser.findElement(By.name("q")).clear();
        browser.findElement(By.name("q")).sendKeys("555-0199", Keys.ENTER);
        until("nothing found", d -> text("find-summary").startsWith("0 conversation(s)"));
        browser.findElement(By.name("q")).clear();
        browser.findElement(By.name("q")).sendKeys("welding", Keys.ENTER);
        until("the edit found", d -> text("find-summary").startsWith("1 conversation(s), 1 matching"));
    }

    @Test
    void replayShowsTheTranscriptTheAsOfApiGivesAtEachInstantOfTheSlider() throws Exception {
        browser.findElement(By.name("q")).sendKeys("offer", Keys.ENTER);
        until("the result", d -> text("find-summary").startsWith("1 conversation(s)"));
        tabTo(browser, "#find-results button", false, 30);
        press(browser, Keys.ENTER);
        until("the replay", d -> d.findElement(By.id("replay-view")).isDisplayed());
        assertThat(Browser.focusedMatches(browser, "#replay-slider")).isTrue();

        var instants = new ArrayList<String>();
        api.get("api/compliance/conversations/" + conversation + "/events?reason=test", auditor).body().path("events")
                .forEach(event -> {
                    if (!instants.contains(event.path("at").asText())) {
                        instants.add(event.path("at").asText());
                    }
                });
        // early on, once the slip was sent (the edit applied), once it was removed: three different transcripts
        var seen = new java.util.LinkedHashSet<List<String>>();
        for (var index : List.of(2, instants.size() - 3, instants.size() - 2)) {
            press(browser, Keys.HOME);
            for (var step = 0; step < index; step++) {
                press(browser, Keys.ARROW_RIGHT);
            }
            var instant = instants.get(index);
            until("the transcript as of " + instant, d -> instant.equals(
                    d.findElement(By.id("replay-transcript")).getDomAttribute("data-as-of")));
            assertThat(shownTranscript()).as("at %s", instant).isEqualTo(apiTranscript(instant));
            seen.add(shownTranscript());
            assertThat(text("replay-chain")).startsWith("Hash chain verifies up to here");
            var hashes = browser.findElements(By.cssSelector("#replay-events td.hash"));
            assertThat(hashes).isNotEmpty().allSatisfy(cell -> assertThat(cell.getDomAttribute("title"))
                    .matches("[0-9a-f]{64}"));
        }
        assertThat(seen).hasSize(3);
        assertThat(seen).anySatisfy(lines -> assertThat(lines).contains("console-recruiter: Message removed"));
        Screenshots.take(browser, "console-replay");
        assertThat(Browser.seriousAccessibilityViolations(browser)).as("replay").isEmpty();
    }

    private List<String> shownTranscript() {
        var lines = new ArrayList<String>();
        for (var item : browser.findElements(By.cssSelector("#replay-transcript li"))) {
            lines.add(item.findElement(By.tagName("strong")).getText() + " "
                    + item.findElements(By.tagName("span")).get(0).getText());
        }
        return lines;
    }

    private static List<String> apiTranscript(String instant) {
        var lines = new ArrayList<String>();
        api.get("api/compliance/conversations/" + conversation + "/transcript?reason=test&asOf=" + instant, auditor)
                .body().path("messages").forEach(message -> lines.add(message.path("senderId").asText() + ": "
                        + (message.path("removed").asBoolean() ? "Message removed" : message.path("text").asText())));
        return lines;
    }

    @Test
    void aConversationExportsAsAZipWithItsFilesAndASelectionDoesNot() throws Exception {
        browser.findElement(By.cssSelector("[data-tab=export]")).click();
        browser.findElement(By.cssSelector("input[value=user]")).click();
        browser.findElement(By.id("export-id")).clear();
        browser.findElement(By.id("export-id")).sendKeys("console-seeker");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("export-format"))).selectByValue("zip");
        browser.findElement(By.cssSelector("#export-form button[type=submit]")).click();
        until("ZIP refused for a selection", d -> text("error").startsWith("ZIP with the files is for one conversation"));

        browser.findElement(By.cssSelector("input[value=conversation]")).click();
        browser.findElement(By.id("export-id")).clear();
        browser.findElement(By.id("export-id")).sendKeys(conversation);
        browser.findElement(By.cssSelector("#export-form button[type=submit]")).click();
        until("the ZIP exported", d -> text("export-status").startsWith("Done: conversation-" + conversation + ".zip"));
        var bytes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "api/compliance/conversations/"
                        + conversation + "/export?format=zip&reason=test"))
                .header("Authorization", "Bearer " + auditor).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        assertThat(bytes).startsWith((byte) 'P', (byte) 'K');
        assertThat(browser.findElement(By.id("export-status")).getDomAttribute("data-bytes"))
                .as("the archive's bytes depend on the record only").isEqualTo(Integer.toString(bytes.length));
    }

    @Test
    void exportStreamsTheSameBytesAsTheApiWithProgress() throws Exception {
        browser.findElement(By.cssSelector("[data-tab=export]")).click();
        browser.findElement(By.cssSelector("input[value=user]")).click();
        browser.findElement(By.id("export-id")).clear();
        browser.findElement(By.id("export-id")).sendKeys("console-seeker");
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("export-format"))).selectByValue("csv");
        browser.findElement(By.cssSelector("#export-form button[type=submit]")).click();
        until("the export done", d -> "done".equals(d.findElement(By.id("export-status")).getDomAttribute("data-state")));
        var bytes = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base
                        + "api/compliance/export?selection=user&user=console-seeker&format=csv&reason=test"))
                .header("Authorization", "Bearer " + auditor).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        assertThat(browser.findElement(By.id("export-status")).getDomAttribute("data-bytes"))
                .isEqualTo(Integer.toString(bytes.length));
        assertThat(text("export-status")).contains("of 1 conversation(s)");
        Screenshots.take(browser, "console-export");
        assertThat(Browser.seriousAccessibilityViolations(browser)).as("export").isEmpty();
    }

    @Test
    void holdsArePlacedAndReleasedAndAnErasureIsPreviewedThenConfirmed() {
        browser.findElement(By.cssSelector("[data-tab=holds]")).click();
        browser.findElement(By.cssSelector("#hold-form [name=id]")).sendKeys(conversation);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#hold-form [name=kind]")))
                .selectByValue("CONVERSATION");
        browser.findElement(By.cssSelector("#hold-form [name=matter]")).sendKeys("CASE-7", Keys.ENTER);
        until("the hold listed", d -> d.findElement(By.id("holds")).getText().contains("CASE-7"));
        assertThat(browser.findElement(By.id("holds")).getText()).contains("Active");

        var erasure = browser.findElement(By.id("erasure-user"));
        erasure.sendKeys("console-recruiter", Keys.ENTER);
        until("the dry run", d -> text("erasure-impact").startsWith("Erasing console-recruiter will make unreadable: "
                + "2 message(s) in 1 conversation(s) and 0 profile field(s)."));
        assertThat(text("erasure-impact")).contains("A legal hold defers it now (CASE-7)");
        Screenshots.take(browser, "console-holds");
        assertThat(Browser.seriousAccessibilityViolations(browser)).as("holds").isEmpty();

        tabTo(browser, "#holds button", true, 20);
        press(browser, Keys.ENTER);
        until("the hold released", d -> d.findElement(By.id("holds")).getText().contains("Released"));

        browser.findElement(By.id("erasure-form")).findElement(By.cssSelector("button")).click();
        until("the dry run again", d -> !text("erasure-impact").contains("legal hold")
                && text("erasure-impact").startsWith("Erasing console-recruiter"));
        press(browser, Keys.ENTER);   // the focus is on "Erase permanently…"
        until("the confirmation", d -> d.findElement(By.id("erasure-dialog")).isDisplayed());
        assertThat(Browser.focusedMatches(browser, "#erasure-cancel")).isTrue();
        assertThat(Browser.seriousAccessibilityViolations(browser)).as("erasure dialog").isEmpty();
        tabTo(browser, "#erasure-go", false, 3);
        press(browser, Keys.ENTER);
        until("the erasure done", d -> text("erasure-result").startsWith("console-recruiter is erased"));
        var dry = api.post("api/compliance/users/console-recruiter/erasure?dryRun=true", auditor,
                "{\"reason\":\"after\"}").body();
        org.awaitility.Awaitility.await().atMost(PATIENCE).until(() -> api.post(
                "api/compliance/users/console-recruiter/erasure?dryRun=true", auditor, "{\"reason\":\"after\"}")
                .body().path("messages").asLong() == 0);
        assertThat(dry.path("userId").asText()).isEqualTo("console-recruiter");
    }

    @Test
    void theAuditShowsWhoLookedWhyAndFilters() {
        browser.findElement(By.name("q")).sendKeys("accept", Keys.ENTER);
        until("the result", d -> text("find-summary").startsWith("1 conversation(s)"));
        browser.findElement(By.cssSelector("[data-tab=audit]")).click();
        browser.findElement(By.cssSelector("#audit-form [name=actor]")).sendKeys("console-auditor", Keys.ENTER);
        until("the entries", d -> d.findElement(By.id("audit")).getText().contains("q=accept"));
        // one snapshot of the rows: the table is re-rendered whenever an answer arrives
        @SuppressWarnings("unchecked")
        var rows = (List<String>) Browser.script(browser,
                "return [...document.querySelectorAll('#audit tbody tr')].map(row => row.innerText)");
        assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row).contains("console-auditor"));
        assertThat(rows).anySatisfy(row -> assertThat(row).contains(REASON).contains("q=accept"));
        Screenshots.take(browser, "console-audit");
        assertThat(Browser.seriousAccessibilityViolations(browser)).as("audit").isEmpty();

        browser.findElement(By.cssSelector("#audit-form [name=actor]")).clear();
        browser.findElement(By.cssSelector("#audit-form [name=actor]")).sendKeys("nobody-at-all", Keys.ENTER);
        until("no entries", d -> text("audit-summary").startsWith("0 entries"));

        browser.findElement(By.id("audit-export-csv")).click();
        until("the log exported", d -> "done".equals(d.findElement(By.id("export-status")).getDomAttribute("data-state")));
        assertThat(text("export-status")).startsWith("Done: access-log.csv");
    }

    private static String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static void until(String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, PATIENCE).withMessage(what).ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition::apply);
    }
}
