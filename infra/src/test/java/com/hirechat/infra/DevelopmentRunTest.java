package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The default local run as a new user meets it: sign-in with a name, the demo job board's recruiters already
 * registered from the board's own data, and the tutorial's deep link to the chat.
 */
class DevelopmentRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dataDir;
    @TempDir
    static Path browserProfile;
    private static ChatApplication app;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        app = TestServers.withEmbeddedDatabaseIn(dataDir);
        api = new ApiClient(app.uri());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> fetch(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(app.uri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode demoJobs() throws IOException {
        var answer = fetch("demo-jobs.json");
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("jobs");
    }

    @Test
    void theDemoBoardsRecruitersAreRegisteredFromTheBoardsOwnDataOnceAcrossRestarts() throws IOException {
        var jobs = demoJobs();
        assertThat(jobs).hasSizeGreaterThanOrEqualTo(4);
        var token = api.devLogin("seeker-new");
        for (var job : jobs) {
            var recruiter = job.path("recruiterId").asText();
            var profile = await().atMost(Duration.ofSeconds(10))
                    .until(() -> api.get("api/users/" + recruiter, token), answer -> answer.status() == 200).body();
            assertThat(profile.path("displayName").asText()).isEqualTo(job.path("recruiterName").asText());
            assertThat(profile.path("role").asText()).isEqualTo("RECRUITER");
        }
        assertThat(registrations(jobs.get(0).path("recruiterId").asText())).isEqualTo(1);

        // every start of the development run puts them again: nothing new is stored
        app.close();
        app = TestServers.withEmbeddedDatabaseIn(dataDir);
        api = new ApiClient(app.uri());
        assertThat(registrations(jobs.get(0).path("recruiterId").asText())).isEqualTo(1);
    }

    private static int registrations(String user) {
        return Jdbi.create(app.dataSource()).withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = :id")
                .bind("id", "user:" + user).mapTo(Integer.class).one());
    }

    @Test
    void theDevelopmentRunGivesNamedUsersAndTheDemoRecruitersAnAddressSoDigestsShowAtDevMail() throws IOException {
        var named = api.post("api/dev/login", null, "{\"userId\":\"mia-7\",\"displayName\":\"Mia\"}");
        assertThat(api.get("api/me/preferences", named.body().path("token").asText()).body().path("hasEmail")
                .asBoolean()).isTrue();
        var recruiter = demoJobs().get(0).path("recruiterId").asText();
        assertThat(api.get("api/me/preferences", api.devLogin(recruiter)).body().path("hasEmail").asBoolean()).isTrue();
        // a sign-in without a name (scripts, tests) registers nothing
        assertThat(api.get("api/me/preferences", api.devLogin("anonymous-7")).body().path("hasEmail").asBoolean())
                .isFalse();
    }

    @Test
    void signingInWithANameRegistersTheProfileBeforeTheAnswer() {
        var answer = api.post("api/dev/login", null,
                "{\"userId\":\"sam-99\",\"displayName\":\"  Sam Seeker  \",\"profileRole\":\"seeker\"}");
        assertThat(answer.status()).isEqualTo(200);
        var token = answer.body().path("token").asText();
        var profile = await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("api/me", token).body().path("profile"), JsonNode::isObject);
        assertThat(profile.path("displayName").asText()).isEqualTo("Sam Seeker");
        assertThat(profile.path("role").asText()).isEqualTo("SEEKER");

        var renamed = api.post("api/dev/login", null, "{\"userId\":\"sam-99\",\"displayName\":\"Sam S.\"}");
        assertThat(renamed.status()).isEqualTo(200);
        var changed = await().atMost(Duration.ofSeconds(10)).until(() -> api.get("api/me", token).body().path("profile"),
                p -> p.path("displayName").asText().equals("Sam S."));
        assertThat(changed.path("role").asText()).isEqualTo("OTHER");

        // without a name, nothing about the profile changes
        assertThat(api.post("api/dev/login", null, "{\"userId\":\"sam-99\"}").status()).isEqualTo(200);
        assertThat(api.get("api/me", token).body().path("profile").path("displayName").asText()).isEqualTo("Sam S.");
    }

    @Test
    void aBadNameOrRoleIsRefusedWithItsCodeAndNoToken() {
        var refusals = new LinkedHashMap<String, String>();
        refusals.put("{\"userId\":\"u-1\",\"displayName\":\"\"}", "invalid_profile");
        refusals.put("{\"userId\":\"u-1\",\"displayName\":\"   \"}", "invalid_profile");
        refusals.put("{\"userId\":\"u-1\",\"displayName\":\"" + "x".repeat(101) + "\"}", "invalid_profile");
        refusals.put("{\"userId\":\"u-1\",\"displayName\":42}", "invalid_field");
        refusals.put("{\"userId\":\"u-1\",\"displayName\":\"Ann\",\"profileRole\":\"astronaut\"}", "invalid_profile");
        refusals.put("{\"userId\":\"u-1\",\"displayName\":\"Ann\",\"profileRole\":7}", "invalid_field");
        refusals.put("{\"userId\":\"u-1\",\"profileRole\":\"seeker\"}", "missing_field");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            var answer = api.post("api/dev/login", null, refusal.getKey());
            assertThat(answer.status()).as(refusal.getKey()).isEqualTo(400);
            assertThat(answer.errorCode()).as(refusal.getKey()).isEqualTo(refusal.getValue());
            assertThat(answer.body().has("token")).isFalse();
        }
        assertThat(api.post("api/dev/login", null, "{\"userId\":\"u-1\",\"displayName\":\"" + "x".repeat(100) + "\"}")
                .status()).isEqualTo(200);
    }

    @Test
    void theTutorialsDeepLinkServesTheChatPageWithItsQueryKept() {
        var page = fetch("");
        var deepLink = fetch("chat?id=recruiter-500&name=Acme&role=Recruiter");
        assertThat(deepLink.statusCode()).isEqualTo(200);
        assertThat(deepLink.uri().toString()).endsWith("/chat?id=recruiter-500&name=Acme&role=Recruiter");
        assertThat(deepLink.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(deepLink.body()).isEqualTo(page.body()).contains("<html");
        assertThat(fetch("chat").statusCode()).isEqualTo(200);
        // only that path: others stay unknown
        assertThat(fetch("chatter").statusCode()).isEqualTo(404);
    }

    @Test
    void theJobBoardRendersEveryJobWithItsAnchorAndAContactLinkInTheHostSitesFormat() throws IOException {
        var jobs = demoJobs();
        var target = jobs.get(2);
        var browser = Chromium.start(browserProfile);
        try {
            browser.get(app.uri().resolve("jobs.html#" + target.path("id").asText()).toString());
            var wait = new WebDriverWait(browser, Duration.ofSeconds(10));
            wait.until(d -> d.findElements(By.cssSelector(".job-card")).size() == jobs.size());
            assertThat(browser.findElements(By.cssSelector("main h1, header h1"))).hasSize(1);
            for (var job : jobs) {
                var card = browser.findElement(By.id(job.path("id").asText()));
                assertThat(card.getAttribute("data-job-id")).isEqualTo(job.path("id").asText());
                assertThat(card.findElement(By.cssSelector("h3")).getText()).isEqualTo(job.path("title").asText());
                var link = card.findElement(By.cssSelector("a.contact-recruiter"));
                assertThat(link.getAttribute("aria-label")).contains(job.path("recruiterName").asText())
                        .contains(job.path("title").asText());
                var href = URI.create(link.getAttribute("href"));
                assertThat(href.getPath()).isEqualTo("/");
                assertThat(query(href)).containsExactly(
                        Map.entry("with", job.path("recruiterId").asText()),
                        Map.entry("name", job.path("company").asText()),
                        Map.entry("job", job.path("id").asText()),
                        Map.entry("jobTitle", job.path("title").asText()));
            }
            // the anchor a chat's job chip links to is the card the browser shows
            assertThat(browser.findElement(By.cssSelector(".job-card:target")).getAttribute("id"))
                    .isEqualTo(target.path("id").asText());
        } finally {
            browser.quit();
        }
    }

    private static Map<String, String> query(URI uri) {
        var parameters = new LinkedHashMap<String, String>();
        for (var pair : uri.getRawQuery().split("&")) {
            var parts = pair.split("=", 2);
            parameters.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
