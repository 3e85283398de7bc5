package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The browser client's attachments in headless Chromium against the real server: a file chosen with the attach
 * button uploads with its progress shown, goes out with the message, and the other participant sees its preview and
 * downloads exactly its bytes. The phone layout keeps the attach button and the tray on screen.
 */
class BrowserAttachmentsTest {

    @TempDir
    static Path profiles;
    @TempDir
    static Path files;
    @TempDir
    static Path downloads;

    private static ChatApplication server;
    private static URI base;
    private static ApiClient api;
    private static WebDriver one;
    private static WebDriver two;

    @BeforeAll
    static void start() {
        Chromium.ensureInstalled();
        server = TestServers.onFreshDatabase();
        base = server.uri();
        api = new ApiClient(base);
        one = Chromium.start(profiles.resolve("one"));
        two = Chromium.start(profiles.resolve("two"));
        ((ChromeDriver) two).executeCdpCommand("Browser.setDownloadBehavior",
                Map.of("behavior", "allow", "downloadPath", downloads.toAbsolutePath().toString()));
    }

    @AfterAll
    static void stop() {
        for (var browser : new WebDriver[] {one, two}) {
            if (browser != null) {
                browser.quit();
            }
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPhotoUploadsWithProgressAndTheOtherSideSeesItsPreviewAndDownloadsIt() throws Exception {
        var seeker = "seeker-" + UUID.randomUUID().toString().substring(0, 8);
        var recruiter = "recruiter-" + UUID.randomUUID().toString().substring(0, 8);
        var conversation = api.startConversation(api.login(seeker), recruiter);
        api.post("api/conversations/" + conversation + "/messages", api.login(seeker),
                "{\"clientMessageId\":\"hello\",\"text\":\"hello\"}");
        // large enough that the upload takes a while: the page reports its progress on the way
        var photo = TestFiles.png(1500, 1500, 21);
        var file = files.resolve("holiday photo.png");
        Files.write(file, photo);

        // the recruiter has the conversation open: the file arrives live, before the read models have it
        var other = new ChatPage(two, base);
        other.signInFresh(recruiter);
        other.openContact(seeker);

        var page = new ChatPage(one, base);
        page.signInFresh(seeker);
        page.openContact(recruiter);
        // every progress value the page shows is noted (aria-valuetext changes with the bar)
        page.script("""
                window.__progress = [];
                new MutationObserver(() => {
                  for (const bar of document.querySelectorAll('#upload-tray progress')) {
                    window.__progress.push(bar.getAttribute('aria-valuetext'));
                  }
                }).observe(document.getElementById('upload-tray'),
                  { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuetext'] });""");
        page.script("document.getElementById('attach-input').hidden = false");
        one.findElement(By.id("attach-input")).sendKeys(file.toAbsolutePath().toString());
        page.until("the upload to finish", d -> "ready".equals(
                d.findElement(By.cssSelector("#upload-tray .upload")).getDomAttribute("data-state")));
        @SuppressWarnings("unchecked")
        var progress = (List<String>) page.script("return window.__progress");
        assertThat(progress).as("progress shown while uploading").isNotEmpty().allMatch(text -> text.endsWith("%"));
        assertThat(one.findElement(By.cssSelector("#upload-tray .thumb")).getDomAttribute("src")).startsWith("blob:");

        page.pressEnter();   // no text: the file is the message
        page.until("the tray to empty", d -> !d.findElement(By.id("upload-tray")).isDisplayed());
        page.until("the sent photo's link", d -> d.findElements(By.cssSelector("#messages .message.mine .attachment .download"))
                .stream().anyMatch(link -> link.getText().equals("holiday photo.png")));

        other.until("the photo's preview, decoded", d -> (Boolean) other.script("""
                const img = document.querySelector('#messages .attachment img.preview');
                return !!img && img.complete && img.naturalWidth > 0;"""));
        assertThat(((Number) other.script(
                "return document.querySelector('#messages .attachment img.preview').naturalWidth")).intValue())
                .as("a scaled-down preview, not the upload").isEqualTo(640);
        two.findElement(By.cssSelector("#messages .attachment .download")).click();
        var saved = downloads.resolve("holiday photo.png");
        other.until("the download", d -> Files.exists(saved) && sameBytes(saved, photo));
    }

    @Test
    void onAPhoneTheAttachButtonAndTheTrayStayOnScreen() {
        var seeker = "phone-" + UUID.randomUUID().toString().substring(0, 8);
        var recruiter = "recruiter-" + UUID.randomUUID().toString().substring(0, 8);
        var conversation = api.startConversation(api.login(seeker), recruiter);
        api.post("api/conversations/" + conversation + "/messages", api.login(seeker),
                "{\"clientMessageId\":\"hello\",\"text\":\"hello\"}");
        Browser.viewport(one, Browser.PHONE);
        try {
            var page = new ChatPage(one, base);
            page.signInFresh(seeker);
            page.openContact(recruiter);
            var attach = one.findElement(By.id("attach"));
            assertThat(attach.isDisplayed()).isTrue();
            var width = ((Number) page.script("return window.innerWidth")).intValue();
            var rect = attach.getRect();
            assertThat(rect.getX()).isGreaterThanOrEqualTo(0);
            assertThat(rect.getX() + rect.getWidth()).isLessThanOrEqualTo(width);
            var send = one.findElement(By.cssSelector("#composer button[type=submit]")).getRect();
            assertThat(send.getX() + send.getWidth()).as("the send button still fits").isLessThanOrEqualTo(width);
        } finally {
            Browser.resetViewport(one);
        }
    }

    private static boolean sameBytes(Path path, byte[] expected) {
        try {
            return java.util.Arrays.equals(Files.readAllBytes(path), expected);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
