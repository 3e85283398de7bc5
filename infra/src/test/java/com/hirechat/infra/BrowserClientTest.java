package com.hirechat.infra;

import static com.hirechat.infra.Browser.DESKTOP;
import static com.hirechat.infra.Browser.PHONE;
import static com.hirechat.infra.Browser.press;
import static com.hirechat.infra.Browser.tabTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;

/**
 * The browser client as people use it every day (issue 23): on a phone and a desktop, by keyboard only, with a screen
 * reader's live region, across time zones, with a network that drops. Headless Chromium against the default local run
 * (embedded PostgreSQL, development login, and the host site's tokens), with the server's real rate limit, so a burst
 * of messages meets it.
 */
class BrowserClientTest {

    @TempDir
    static Path dataDir;
    @TempDir
    static Path profiles;

    private static ChatApplication server;
    private static SocketGate gate;
    private static URI base;
    private static ApiClient api;
    private static String admin;
    private static WebDriver one;
    private static WebDriver two;

    @BeforeAll
    static void start() {
        Chromium.ensureInstalled();
        // the defaults of docs/security.md: 5 writes a second, bursts of 20
        server = TestServers.withEmbeddedDatabaseIn(dataDir,
                Map.of("HIRECHAT_MESSAGES_PER_SECOND", "5", "HIRECHAT_MESSAGE_BURST", "20"));
        base = server.uri();
        gate = SocketGate.inFrontOf(base);
        api = new ApiClient(base);
        admin = api.loginWithRoles("host-site", "admin");
        one = Chromium.start(profiles.resolve("one"));
        two = Chromium.start(profiles.resolve("two"));
    }

    @AfterAll
    static void stop() {
        for (var browser : new WebDriver[] {one, two}) {
            if (browser != null) {
                browser.quit();
            }
        }
        if (gate != null) {
            gate.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void normalBrowsers() {
        for (var browser : new WebDriver[] {one, two}) {
            Browser.resetViewport(browser);
        }
        gate.open();
    }

    @Test
    void onAPhoneTheListAndTheConversationTakeTurnsAndSendStaysOnScreenOnADesktopBothShow() {
        profile("lay-seeker", "Lea Lindqvist", "seeker");
        profile("lay-recruiter", "Rami at Initech", "recruiter");
        var rami = api.login("lay-recruiter");
        var conversation = api.startConversation(rami, "lay-seeker");
        send(rami, conversation, "lay-1", "Hi Lea, thanks for applying to the Data Engineer role.");
        send(rami, conversation, "lay-2", "The team and the stack are described here: https://example.com/jobs/311");
        send(rami, conversation, "lay-3", "Would you have 30 minutes for a call on Thursday or Friday?");
        var page = new ChatPage(one, base);
        Browser.viewport(one, PHONE);
        page.signInFresh("lay-seeker");

        // the list first, the whole width
        page.until("the contact list alone", d -> displayed("nav.sidebar") && !displayed("main.conversation"));
        assertThat(noHorizontalScroll()).as("no sideways scrolling on the list").isTrue();
        Screenshots.take(one, "phone-contacts");

        page.openContact("Rami at Initech");
        page.until("the conversation alone, with a way back", d -> displayed("main.conversation")
                && !displayed("nav.sidebar") && displayed("#back"));
        page.send("Thank you! Thursday at 10 works well for me.");
        page.awaitBubble("the reply stored", b -> b.text().startsWith("Thank you!") && b.state().equals("stored"));
        page.script("document.activeElement.blur()");   // as after reading: no focus ring in the picture
        assertThat(fullyOnScreen("#composer button[type=submit]")).as("Send on screen at 390×844").isTrue();
        assertThat(fullyOnScreen("#text")).as("the message field on screen").isTrue();
        assertThat(noHorizontalScroll()).as("no sideways scrolling in the conversation").isTrue();
        Screenshots.take(one, "phone-conversation");

        one.findElement(By.id("back")).click();
        page.until("the list again, focus on the conversation left", d -> displayed("nav.sidebar")
                && !displayed("main.conversation") && Browser.focusedMatches(one, "#contacts .contact.active button"));

        Browser.viewport(one, DESKTOP);
        page.openContact("Rami at Initech");
        page.until("list and conversation side by side", d -> displayed("nav.sidebar") && displayed("main.conversation")
                && !displayed("#back"));
        assertThat(fullyOnScreen("#composer button[type=submit]")).as("Send on screen at 1440×900").isTrue();
        assertThat(noHorizontalScroll()).isTrue();
        Screenshots.take(one, "desktop-conversation");

        // a 300-character word wraps: nothing scrolls sideways, on either screen
        var longWord = "https://example.com/" + "a".repeat(300);
        send(rami, conversation, "lay-4", longWord);
        page.awaitBubble("the long word", b -> b.text().equals(longWord));
        assertThat(noHorizontalScroll()).as("no sideways scrolling with a long word, desktop").isTrue();
        Browser.viewport(one, PHONE);
        page.until("the conversation on the phone", d -> displayed("main.conversation") && !displayed("nav.sidebar"));
        assertThat(noHorizontalScroll()).as("no sideways scrolling with a long word, phone").isTrue();
        assertThat(fullyOnScreen("#composer button[type=submit]")).as("Send still on screen").isTrue();
    }

    @Test
    void everyActionIsReachableByKeyboardAlone() {
        profile("kb-user", "Kim Keyes", "seeker");
        profile("kb-friend", "Frida Falk", "recruiter");
        profile("kb-other", "Otto Olsen", "company");
        var frida = api.login("kb-friend");
        send(frida, api.startConversation(frida, "kb-user"), "kb-1", "Hello Kim, shall we talk?");
        var page = new ChatPage(one, base);
        Browser.viewport(one, DESKTOP);
        page.signInFresh("kb-user");
        one.findElement(By.tagName("body")).click();   // nothing focused: the walk starts at the top of the page

        // open a contact: contacts are buttons, Enter opens; the message field gets the focus
        tabTo(one, "#contacts button", false, 30);
        press(one, Keys.ENTER);
        page.awaitTitle("Frida Falk");
        page.until("the message field focused", d -> Browser.focusedMatches(one, "#text"));

        // send
        press(one, "Hello by keyboard", Keys.ENTER);
        page.awaitBubble("the message stored", b -> b.text().equals("Hello by keyboard") && b.state().equals("stored"));

        // edit: the actions are buttons reachable without hovering; Enter saves, Escape cancels
        tabTo(one, "#messages .message.mine .edit", true, 10);
        press(one, Keys.ENTER);
        page.until("the inline editor focused", d -> Browser.focusedMatches(one, "#messages .editor textarea"));
        press(one, Keys.END, " (edited)", Keys.ENTER);
        page.awaitBubble("the edit shown", b -> b.text().equals("Hello by keyboard (edited)") && b.meta().contains("edited"));
        page.until("focus back on Edit", d -> Browser.focusedMatches(one, "#messages .message.mine .edit"));
        press(one, Keys.ENTER);
        page.until("the editor again", d -> Browser.focusedMatches(one, "#messages .editor textarea"));
        press(one, " and more", Keys.ESCAPE);
        page.until("Escape cancelled the edit", d -> Browser.focusedMatches(one, "#messages .message.mine .edit")
                && page.texts().contains("Hello by keyboard (edited)"));
        assertThat(one.findElements(By.cssSelector("#messages .editor"))).isEmpty();

        // remove, with a confirmation whose safe choice has the focus; Escape closes it and removes nothing
        press(one, Keys.TAB);
        assertThat(Browser.focusedMatches(one, "#messages .message.mine .remove")).as("Remove after Edit").isTrue();
        press(one, Keys.ENTER);
        page.until("the confirmation, Cancel focused", d -> displayed("#confirm-dialog")
                && Browser.focusedMatches(one, "#confirm-cancel"));
        assertThat(one.findElement(By.id("confirm-text")).getText()).contains("cannot be undone");
        press(one, Keys.ESCAPE);
        page.until("the confirmation closed", d -> !displayed("#confirm-dialog"));
        assertThat(page.texts()).contains("Hello by keyboard (edited)");
        page.until("focus back on Remove", d -> Browser.focusedMatches(one, "#messages .message.mine .remove"));
        press(one, Keys.ENTER);
        page.until("the confirmation again", d -> Browser.focusedMatches(one, "#confirm-cancel"));
        press(one, Keys.TAB, Keys.ENTER);
        page.awaitBubble("the message removed", b -> b.mine() && b.text().equals("Message removed"));

        // start a chat with a person picked by name
        tabTo(one, "#start-user", false, 60);
        press(one, "kb-other", Keys.ENTER);
        page.awaitTitle("Otto Olsen");

        // create a group: title, members picked by name, Create
        tabTo(one, "#new-group", false, 60);
        press(one, Keys.ENTER);
        page.until("the group dialog, its name field focused", d -> Browser.focusedMatches(one, "#group-title"));
        press(one, Keys.ESCAPE);
        page.until("Escape closed the dialog", d -> !displayed("#group-dialog"));
        tabTo(one, "#new-group", false, 5);
        press(one, Keys.ENTER);
        page.until("the group dialog again", d -> Browser.focusedMatches(one, "#group-title"));
        press(one, "Keyboard club", Keys.TAB, "kb-friend", Keys.ENTER);
        page.until("Frida picked", d -> one.findElement(By.id("group-picked")).getText().contains("Frida Falk"));
        press(one, "kb-other", Keys.ENTER);
        page.until("Otto picked", d -> one.findElement(By.id("group-picked")).getText().contains("Otto Olsen"));
        tabTo(one, "#group-create", false, 15);
        press(one, Keys.ENTER);
        page.awaitTitle("Keyboard club");
        page.until("the dialog closed", d -> !displayed("#group-dialog"));

        // the members dialog opens and closes by keyboard
        tabTo(one, "#members", false, 60);
        press(one, Keys.ENTER);
        page.until("the members dialog", d -> displayed("#members-dialog")
                && one.findElement(By.id("members-list")).getText().contains("Otto Olsen"));
        press(one, Keys.ESCAPE);
        page.until("Escape closed it", d -> !displayed("#members-dialog"));

        // sign out
        tabTo(one, "#sign-out", false, 80);
        press(one, Keys.ENTER);
        page.awaitSignInShown("");
    }

    @Test
    void onAPhoneTheKeyboardOpensAConversationSendsAndGoesBack() {
        profile("kbp-user", "Pia Pedersen", "seeker");
        profile("kbp-friend", "Per Friis", "recruiter");
        var per = api.login("kbp-friend");
        send(per, api.startConversation(per, "kbp-user"), "kbp-1", "Hei Pia!");
        var page = new ChatPage(one, base);
        Browser.viewport(one, PHONE);
        page.signInFresh("kbp-user");
        page.script("document.activeElement?.blur()");

        tabTo(one, "#contacts button", false, 30);
        press(one, Keys.ENTER);
        page.awaitTitle("Per Friis");
        page.until("the conversation alone", d -> displayed("main.conversation") && !displayed("nav.sidebar"));
        tabTo(one, "#text", false, 40);
        press(one, "Hei Per!", Keys.ENTER);
        page.awaitBubble("the reply stored", b -> b.text().equals("Hei Per!") && b.state().equals("stored"));
        tabTo(one, "#back", true, 40);
        press(one, Keys.ENTER);
        page.until("the list again, focus on the conversation left", d -> displayed("nav.sidebar")
                && Browser.focusedMatches(one, "#contacts .contact.active button"));
    }

    @Test
    void enterWhileAnInputMethodIsComposingDoesNotSend() {
        profile("ime-user", "Yuki", "seeker");
        profile("ime-friend", "Haruto", "recruiter");
        var page = new ChatPage(one, base);
        page.signInFresh("ime-user");
        page.startChatWith("ime-friend");
        page.awaitTitle("Haruto");
        page.type("にほ");
        // what the browser sends while a Japanese IME is composing: Enter confirms the composition, keyCode 229
        page.script("""
                const field = document.getElementById('text');
                for (const init of [{ isComposing: true }, { keyCode: 229 }]) {
                  field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true, ...init }));
                }""");
        assertThat(page.bubbles()).as("nothing sent while composing").isEmpty();
        assertThat(one.findElement(By.id("text")).getDomProperty("value")).isEqualTo("にほ");
        page.type("ん");
        page.pressEnter();
        page.awaitExactly(List.of("にほん"));
    }

    @Test
    void unsentMessagesSurviveAReloadAndABurstArrivesOnceInTheOrderTyped() {
        profile("box-user", "Bo Box", "seeker");
        profile("box-friend", "Fay Friend", "recruiter");
        var page = new ChatPage(one, gate.uri());
        page.signInFresh("box-user");
        page.startChatWith("box-friend");
        page.awaitTitle("Fay Friend");
        var conversation = (String) page.script("return JSON.parse(sessionStorage.getItem('hirechat.open')).conversationId");

        // the socket is cut (HTTP still works): three messages wait, and a reload keeps them, in order
        gate.block();
        one.navigate().refresh();
        page.awaitSignedIn("box-user");
        page.awaitTitle("Fay Friend");
        page.until("the connection shown as lost, in words", d -> one.findElement(By.id("connection")).getText()
                .equals("Offline, reconnecting…"));
        var offline = List.of("first, typed offline", "second, typed offline", "third, typed offline");
        offline.forEach(page::send);
        page.awaitBubble("the third waiting", b -> b.text().equals(offline.get(2)) && b.state().equals("sending"));
        one.navigate().refresh();
        page.awaitSignedIn("box-user");
        page.awaitTitle("Fay Friend");
        page.awaitExactly(offline);
        assertThat(page.bubbles()).allMatch(b -> b.state().equals("sending"));
        var ids = page.bubbles().stream().map(ChatPage.Bubble::clientMessageId).toList();

        // back online: each arrives once, in order, with the clientMessageId it got when it was typed
        gate.open();
        page.until("all three stored", d -> page.bubbles().stream().allMatch(b -> b.state().equals("stored")));
        page.awaitExactly(offline);
        assertThat(page.bubbles().stream().map(ChatPage.Bubble::clientMessageId).toList()).isEqualTo(ids);
        // the history is a read model, a moment behind the acks: wait for as many, then compare
        await("three messages in the history").atMost(Duration.ofSeconds(20))
                .until(() -> history(conversation, "box-user").size() >= offline.size());
        assertThat(history(conversation, "box-user")).isEqualTo(offline);

        // a burst of 40, twice the server's burst allowance, with a reload in the middle of it
        var burst = IntStream.rangeClosed(1, 40).mapToObj(n -> "burst " + n).toList();
        Browser.script(one, """
                const field = document.getElementById('text');
                for (const text of arguments[0]) {
                  field.value = text;
                  document.getElementById('composer').requestSubmit();
                }""", burst);
        page.until("some of the burst stored", d -> page.bubbles().stream()
                .filter(b -> b.state().equals("stored")).count() > offline.size() + 5);
        one.navigate().refresh();
        page.awaitSignedIn("box-user");
        var everything = new ArrayList<>(offline);
        everything.addAll(burst);
        await("the whole burst stored, once each, in order").atMost(Duration.ofSeconds(60))
                .until(() -> history(conversation, "box-user").size() >= everything.size());
        assertThat(history(conversation, "box-user")).as("the conversation as stored").isEqualTo(everything);
        page.until("the page showing the same", d -> page.texts().subList(
                Math.max(0, page.texts().size() - 20), page.texts().size()).equals(everything.subList(everything.size() - 20,
                everything.size())) && page.bubbles().stream().allMatch(b -> b.state().equals("stored")));
        page.until("the outbox empty", d -> page.keptOutboxes().isEmpty());
    }

    @Test
    void theChatTheJobBoardAndTheSignInPassAxeOnPhoneAndDesktop() {
        profile("axe-user", "Ada Axe", "seeker");
        profile("axe-friend", "Ben Builder", "recruiter");
        var ben = api.login("axe-friend");
        var conversation = api.startConversation(ben, "axe-user");
        send(ben, conversation, "axe-1", "Hi Ada, see https://example.com/jobs/42 for the details.");
        send(ben, conversation, "axe-2", "Are you free on Thursday?");
        var page = new ChatPage(one, base);
        for (var viewport : List.of(PHONE, DESKTOP)) {
            Browser.viewport(one, viewport);
            page.openJobBoardSignedOut();
            one.get(base.toString());
            page.until("the sign-in", d -> displayed("#login"));
            assertThat(Browser.seriousAccessibilityViolations(one)).as("sign-in on %s", viewport.name()).isEmpty();

            page.openJobBoard();
            assertThat(Browser.seriousAccessibilityViolations(one)).as("job board on %s", viewport.name()).isEmpty();

            page.signInFresh("axe-user");
            assertThat(Browser.seriousAccessibilityViolations(one)).as("contacts on %s", viewport.name()).isEmpty();
            page.openContact("Ben Builder");
            page.send("Thursday works, thanks!");
            page.awaitBubble("the reply stored", b -> b.state().equals("stored") && b.mine());
            assertThat(Browser.seriousAccessibilityViolations(one)).as("conversation on %s", viewport.name()).isEmpty();
            if (viewport.mobile()) {
                one.findElement(By.id("back")).click();
            }
            one.findElement(By.id("new-group")).click();
            page.until("the group dialog", d -> displayed("#group-dialog"));
            assertThat(Browser.seriousAccessibilityViolations(one)).as("group dialog on %s", viewport.name()).isEmpty();
            press(one, Keys.ESCAPE);
        }
    }

    @Test
    void theTutorialsLinkOpensTheChatShowingTheLinkedNameUntilAProfileExists() {
        profile("link-seeker", "Liv Link", "seeker");
        var page = new ChatPage(one, base);
        page.signInFresh("link-seeker");
        one.get(base + "?id=ghost-recruiter&name=Ghost%20Corp&role=Recruiter");
        page.awaitSignedIn("link-seeker");
        page.awaitTitle("Ghost Corp");
        page.awaitContacts("the link's name in the sidebar", contacts -> contacts.stream()
                .anyMatch(c -> c.name().equals("Ghost Corp")));
        assertThat(one.getCurrentUrl()).doesNotContain("ghost-recruiter");

        // the profile arrives: its name replaces the link's
        profile("ghost-recruiter", "Gina at Ghost Corp", "recruiter");
        one.navigate().refresh();
        page.awaitSignedIn("link-seeker");
        page.awaitTitle("Gina at Ghost Corp");

        // the tutorial's own link, at /chat
        one.get(base + "chat?id=phantom-recruiter&name=Phantom%20Ltd&role=Recruiter");
        page.awaitSignedIn("link-seeker");
        page.awaitTitle("Phantom Ltd");
        assertThat(URI.create(one.getCurrentUrl()).getPath()).isEqualTo("/chat");
        assertThat(one.getCurrentUrl()).doesNotContain("phantom-recruiter");
        page.send("Hello Phantom");
        page.awaitBubble("sent from /chat", b -> b.text().equals("Hello Phantom") && b.state().equals("stored"));
    }

    @Test
    void theSignInAsksForANameThatOthersSeeAndFindThePersonBy() {
        var siri = new ChatPage(one, base);
        siri.openJobBoardSignedOut();
        one.get(base.toString());
        siri.until("the sign-in", d -> displayed("#login"));
        one.findElement(By.id("login-name")).sendKeys("Siri Sundberg");
        one.findElement(By.id("login-user")).sendKeys("signin-siri");
        new org.openqa.selenium.support.ui.Select(one.findElement(By.id("login-role"))).selectByValue("recruiter");
        one.findElement(By.id("login-user")).sendKeys(Keys.ENTER);
        siri.awaitSignedIn("signin-siri");
        assertThat(one.findElement(By.id("me-name")).getText()).isEqualTo("Siri Sundberg");

        // someone else finds her by her name, not her user name, and she sees their conversation arrive, named
        profile("signin-peer", "Petter Peer", "seeker");
        var petter = new ChatPage(two, base);
        petter.signInFresh("signin-peer");
        two.findElement(By.id("start-user")).sendKeys("sundberg");
        petter.until("Siri found by name", d -> two.findElement(By.id("start-results")).getText().contains("Siri Sundberg"));
        two.findElement(By.id("start-user")).sendKeys(Keys.ARROW_DOWN);
        assertThat(Browser.focusedMatches(two, "#start-results button")).as("ArrowDown into the results").isTrue();
        press(two, Keys.ENTER);
        petter.awaitTitle("Siri Sundberg");
        petter.send("Hi Siri!");
        siri.awaitContacts("Petter's conversation, by his name", contacts -> contacts.equals(
                List.of(new ChatPage.Contact("Petter Peer", "Hi Siri!", "1"))));
    }

    @Test
    void textIsCountedLinkedAndWrittenInItsOwnDirectionAndErrorsAreSentencesThatGoAway() {
        profile("txt-user", "Tove Text", "seeker");
        profile("txt-friend", "Farid", "recruiter");
        var page = new ChatPage(one, base);
        page.signInFresh("txt-user");

        // a person who does not exist: a sentence, never a raw code; it goes when the next start works
        page.startChatWith("nobody-like-this");
        page.until("a human error", d -> page.error().equals("Nobody called “nobody-like-this” is on HireChat."));
        one.findElement(By.id("start-user")).clear();
        page.startChatWith("txt-friend");
        page.awaitTitle("Farid");
        page.until("the error gone", d -> page.error().isEmpty());

        // 4,001 code points (emoji are two UTF-16 units each): counted as the server counts, refused, kept
        page.script("""
                const field = document.getElementById('text');
                field.value = '😀'.repeat(4001);
                field.dispatchEvent(new Event('input', { bubbles: true }));""");
        page.until("the counter", d -> one.findElement(By.id("counter")).getText().equals("4,001 / 4,000: 1 too many"));
        page.pressEnter();
        page.until("the refusal", d -> page.error().contains("1 characters too long"));
        assertThat(page.bubbles()).as("nothing sent").isEmpty();
        assertThat((Long) page.script("return [...document.getElementById('text').value].length")).isEqualTo(4001L);
        one.findElement(By.id("text")).sendKeys(Keys.BACK_SPACE);
        page.until("the error gone once it fits", d -> page.error().isEmpty()
                && one.findElement(By.id("counter")).getText().equals("4,000 / 4,000"));
        page.script("document.getElementById('text').value = ''");

        // links: only http(s), opened without a handle on this page; everything else stays text
        page.send("See https://example.com/jobs?id=7. Not javascript:alert(1) nor <a href=x>this</a>");
        page.awaitBubble("the message", b -> b.state().equals("stored") && b.text().startsWith("See "));
        @SuppressWarnings("unchecked")
        var links = (List<Map<String, String>>) page.script("""
                return [...document.querySelectorAll('#messages .text a')].map(a => ({
                  href: a.href, rel: a.rel, target: a.target, text: a.textContent }));""");
        assertThat(links).containsExactly(Map.of("href", "https://example.com/jobs?id=7", "rel", "noopener noreferrer",
                "target", "_blank", "text", "https://example.com/jobs?id=7"));

        // right-to-left text is laid out right to left, in the bubble and in the field
        var arabic = "مرحبا، هل الوظيفة متاحة؟";
        page.send(arabic);
        page.awaitBubble("the Arabic message", b -> b.text().equals(arabic) && b.state().equals("stored"));
        assertThat(page.script("""
                const text = [...document.querySelectorAll('#messages .text')].at(-1);
                return [text.dir, getComputedStyle(text).direction, document.getElementById('text').dir].join(',');"""))
                .isEqualTo("auto,rtl,auto");
    }

    @Test
    void datesFollowTheReadersLocaleAndTimeZoneWithTodayAndYesterday() {
        profile("time-user", "Tim", "seeker");
        var page = new ChatPage(one, base);
        page.signInFresh("time-user");
        Browser.cdp(one, "Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Tokyo"));
        try {
            // 2026-03-01T15:30Z is already 2 March, 00:30, in Tokyo
            @SuppressWarnings("unchecked")
            var labels = (Map<String, String>) ((org.openqa.selenium.JavascriptExecutor) one).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    import('/time.js').then(t => {
                      const now = new Date('2026-03-02T03:00:00Z');
                      done({
                        today: t.dayLabel(new Date('2026-03-01T15:30:00Z'), now, 'en-US'),
                        yesterday: t.dayLabel(new Date('2026-03-01T14:30:00Z'), now, 'en-US'),
                        weekday: t.dayLabel(new Date('2026-02-26T03:00:00Z'), now, 'en-US'),
                        older: t.dayLabel(new Date('2026-01-05T03:00:00Z'), now, 'en-US'),
                        german: t.dayLabel(new Date('2026-03-01T14:30:00Z'), now, 'de-DE'),
                        time: t.timeOfDay(new Date('2026-03-01T15:30:00Z'), 'en-GB'),
                        sidebarYesterday: t.sidebarTime(new Date('2026-03-01T14:30:00Z'), now, 'en-US'),
                        sidebarToday: t.sidebarTime(new Date('2026-03-01T15:30:00Z'), now, 'en-US')
                      });
                    });""");
            assertThat(labels).containsEntry("today", "Today").containsEntry("yesterday", "Yesterday")
                    .containsEntry("weekday", "Thursday").containsEntry("older", "Mon, January 5")
                    .containsEntry("german", "Gestern").containsEntry("time", "00:30")
                    .containsEntry("sidebarYesterday", "Yesterday").containsEntry("sidebarToday", "12:30 AM");
        } finally {
            Browser.cdp(one, "Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
        }

        // on the page: a "Today" separator, times in the sidebar, one header for consecutive messages of a sender
        profile("time-friend", "Tara", "recruiter");
        var tara = api.login("time-friend");
        var conversation = api.startConversation(tara, "time-user");
        for (int n = 1; n <= 3; n++) {
            send(tara, conversation, "t-" + n, "part " + n);
        }
        page.awaitContacts("Tara with a time", contacts -> contacts.stream()
                .anyMatch(c -> c.name().equals("Tara") && c.preview().equals("part 3")));
        assertThat(page.script("return document.querySelector('#contacts .contact .when').textContent"))
                .asString().matches("\\d{1,2}:\\d{2}( [AP]M)?");
        page.openContact("Tara");
        page.awaitExactly(List.of("part 1", "part 2", "part 3"));
        assertThat(page.script("return [...document.querySelectorAll('#messages .day')].map(e => e.textContent).join()"))
                .isEqualTo("Today");
        assertThat(page.script("return [...document.querySelectorAll('#messages .message')]"
                + ".map(e => e.classList.contains('grouped')).join()")).isEqualTo("false,true,true");
    }

    @Test
    void unreadCountsShowInTheTabTitleAndNewMessagesAreAnnouncedOnce() {
        profile("att-user", "Astrid", "seeker");
        profile("att-friend", "Arne", "recruiter");
        profile("att-third", "Aud", "recruiter");
        var page = new ChatPage(one, base);
        page.signInFresh("att-user");
        var arne = api.login("att-friend");
        var withArne = api.startConversation(arne, "att-user");
        send(arne, withArne, "a-1", "Are you there?");
        send(arne, withArne, "a-2", "Ping!");
        page.until("two unread in the title", d -> one.getTitle().equals("(2) HireChat"));
        page.openContact("Arne");
        page.until("the title cleared", d -> one.getTitle().equals("HireChat"));
        page.until("the new-messages divider before the first unread", d -> (Boolean) page.script("""
                const divider = document.querySelector('#messages .divider');
                return divider !== null && divider.nextElementSibling.querySelector('.text').textContent === 'Are you there?';"""));

        // a new message is announced on its own, not the whole list again
        assertThat(one.findElement(By.id("messages")).getDomAttribute("aria-live")).isNull();
        send(arne, withArne, "a-3", "One more thing");
        page.until("the announcement", d -> one.findElement(By.id("announcer")).getDomProperty("textContent")
                .equals("Arne: One more thing"));

        // a conversation someone else starts shows up with its count, then the title counts it
        var aud = api.login("att-third");
        send(aud, api.startConversation(aud, "att-user"), "b-1", "Hello from Aud");
        page.awaitContacts("Aud's conversation, on top", contacts -> contacts.getFirst().name().equals("Aud")
                && contacts.getFirst().badge().equals("1"));
        page.until("one unread in the title", d -> one.getTitle().equals("(1) HireChat"));
    }

    @Test
    void desktopNotificationsAreAskedForFromAButtonAndShownForConversationsNotOnScreen() {
        profile("note-user", "Nora", "seeker");
        profile("note-friend", "Nils", "recruiter");
        profile("note-third", "Nina", "recruiter");
        var recorder = """
                window.__notifications = { asked: 0, shown: [] };
                window.Notification = class {
                  static permission = 'default';
                  static async requestPermission() {
                    window.__notifications.asked += 1;
                    window.Notification.permission = 'granted';
                    return 'granted';
                  }
                  constructor(title, options) { window.__notifications.shown.push(title + ': ' + options.body); }
                };""";
        var added = Browser.cdp(one, "Page.addScriptToEvaluateOnNewDocument", Map.of("source", recorder));
        try {
            var page = new ChatPage(one, base);
            page.signInFresh("note-user");
            var nils = api.login("note-friend");
            var withNils = api.startConversation(nils, "note-user");
            send(nils, withNils, "n-1", "Hi Nora");
            page.openContact("Nils");
            assertThat(page.script("return window.__notifications.asked")).as("asked on load").isEqualTo(0L);
            page.until("the button", d -> displayed("#notify"));
            one.findElement(By.id("notify")).click();
            page.until("asked once, the button gone", d -> !displayed("#notify")
                    && Long.valueOf(1).equals(page.script("return window.__notifications.asked")));

            send(nils, withNils, "n-2", "On screen: no notification");
            page.awaitExactly(List.of("Hi Nora", "On screen: no notification"));
            var nina = api.login("note-third");
            send(nina, api.startConversation(nina, "note-user"), "n-3", "Not on screen: notify");
            page.until("one notification", d -> List.of("Nina: Not on screen: notify")
                    .equals(page.script("return window.__notifications.shown")));
        } finally {
            Browser.cdp(one, "Page.removeScriptToEvaluateOnNewDocument",
                    Map.of("identifier", ((Map<?, ?>) added).get("identifier")));
        }
    }

    @Test
    void groupsAreCreatedAndManagedWithJoinAndLeaveLinesAndRemovalStopsTheComposer() {
        profile("grp-owner", "Olga Owner", "recruiter");
        profile("grp-member", "Mats Member", "seeker");
        profile("grp-late", "Lars Late", "seeker");
        var owner = new ChatPage(one, base);
        var member = new ChatPage(two, gate.uri());
        owner.signInFresh("grp-owner");
        member.signInFresh("grp-member");

        owner.driver().findElement(By.id("new-group")).click();
        owner.until("the group dialog", d -> displayed("#group-dialog"));
        one.findElement(By.id("group-title")).sendKeys("Interview panel");
        one.findElement(By.id("group-search")).sendKeys("grp-member", Keys.ENTER);
        owner.until("Mats picked", d -> one.findElement(By.id("group-picked")).getText().contains("Mats Member"));
        one.findElement(By.id("group-create")).click();
        owner.awaitTitle("Interview panel");
        owner.send("Welcome to the panel");

        member.awaitContacts("the group, pushed", contacts -> contacts.stream()
                .anyMatch(c -> c.name().equals("Interview panel")));
        member.openContact("Interview panel");
        member.awaitExactly(List.of("Welcome to the panel"));
        owner.awaitBubble("seen by Mats", b -> b.text().equals("Welcome to the panel")
                && b.meta().endsWith("Seen by everyone"));

        // add Lars: a join line for both
        one.findElement(By.id("members")).click();
        one.findElement(By.id("members-search")).sendKeys("grp-late", Keys.ENTER);
        owner.until("Lars in the list", d -> one.findElement(By.id("members-list")).getText().contains("Lars Late"));
        press(one, Keys.ESCAPE);
        member.until("the join line", d -> systemLines(two).contains("Olga Owner added Lars Late"));
        owner.awaitBubble("seen by Mats only now", b -> b.text().equals("Welcome to the panel")
                && b.meta().endsWith("Seen by Mats Member"));

        // Mats is removed while his socket is cut and a message of his waits: it fails at once, it is not retried
        gate.block();
        member.until("the member offline", d -> two.findElement(By.id("connection")).getText().startsWith("Offline"));
        member.send("Queued before I was removed");
        var ownerToken = api.login("grp-owner");
        var group = conversationOf(one);
        assertThat(api.delete("api/conversations/" + group + "/participants/grp-member", ownerToken).status())
                .isEqualTo(204);
        gate.open();
        member.awaitBubble("the queued message failed", b -> b.text().equals("Queued before I was removed")
                && b.state().equals("failed") && b.meta().endsWith("Not sent: You are no longer in this conversation."));
        member.until("the composer gone, with the reason", d -> !two.findElement(By.id("composer")).isDisplayed()
                && two.findElement(By.id("left-notice")).getText().equals(
                        "You are no longer in this conversation. You can read what was said before, but not write here."));
        owner.until("the removal line", d -> systemLines(one).contains("You removed Mats Member"));
        assertThat(systemLines(one)).contains("You created the group “Interview panel”");
        assertThat(history(group, "grp-owner")).doesNotContain("Queued before I was removed");

        // Lars is removed while he is reading: he is told by whom
        var late = new ChatPage(two, base);
        late.signInFresh("grp-late");
        late.openContact("Interview panel");
        late.awaitExactly(List.of("Welcome to the panel"));
        // the owner removes him from the Members dialog
        one.findElement(By.id("members")).click();
        owner.until("the members dialog", d -> displayed("#members-dialog"));
        one.findElement(By.cssSelector("#members-list button[aria-label='Remove Lars Late from the group']")).click();
        owner.until("Lars gone from the list", d -> !one.findElement(By.id("members-list")).getText().contains("Lars Late"));
        press(one, Keys.ESCAPE);
        late.until("the composer gone, with who removed him", d -> !two.findElement(By.id("composer")).isDisplayed()
                && two.findElement(By.id("left-notice")).getText().equals(
                        "Olga Owner removed you from this conversation. You can read what was said before, but not write here."));

        // the owner leaves, after a confirmation
        one.findElement(By.id("members")).click();
        one.findElement(By.id("leave-group")).click();
        owner.until("the confirmation", d -> displayed("#confirm-dialog"));
        one.findElement(By.id("confirm-ok")).click();
        owner.until("the composer gone", d -> !displayed("#composer")
                && one.findElement(By.id("left-notice")).getText().startsWith("You left this conversation."));
    }

    @Test
    void aRemovedMessageLeavesTheSidebarAndItsUnreadCountAtOnce() {
        profile("red-user", "Rut", "seeker");
        profile("red-friend", "Rolf", "recruiter");
        var page = new ChatPage(one, base);
        page.signInFresh("red-user");
        var rolf = api.login("red-friend");
        var conversation = api.startConversation(rolf, "red-user");
        send(rolf, conversation, "r-1", "Oops, wrong person");
        page.awaitContacts("the message and its badge", contacts -> contacts.equals(
                List.of(new ChatPage.Contact("Rolf", "Oops, wrong person", "1"))));
        // its id, from the history (a read model, a moment behind)
        var messageId = await().atMost(Duration.ofSeconds(20)).until(() -> api.get("api/conversations/"
                + conversation + "/messages", rolf).body().path("messages").path(0).path("messageId").asText(), id -> !id.isEmpty());
        assertThat(api.delete("api/conversations/" + conversation + "/messages/" + messageId, rolf).status()).isEqualTo(204);
        // well within the old 5-second poll: the change is pushed
        await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(page.contacts())
                .isEqualTo(List.of(new ChatPage.Contact("Rolf", "Message removed", ""))));
    }

    @Test
    void scrolledUpTheReaderGetsAJumpButtonAndTheViewStaysPut() {
        profile("jump-user", "Jo", "seeker");
        profile("jump-friend", "Jan", "recruiter");
        var jan = api.login("jump-friend");
        var conversation = api.startConversation(jan, "jump-user");
        var page = new ChatPage(one, base);
        page.signInFresh("jump-user");
        for (int n = 1; n <= 30; n++) {
            send(jan, conversation, "j-" + n, "line " + n);
        }
        page.openContact("Jan");
        page.until("all thirty", d -> page.texts().size() == 30);
        // opened at the first unread, the "New messages" divider; read once the reader reaches the end
        page.until("the jump button with all thirty unread", d -> one.findElement(By.id("jump")).getText()
                .equals("30 new · Jump to latest") && displayed("#messages .divider"));
        page.script("const l = document.getElementById('messages'); l.scrollTop = l.scrollHeight");
        page.until("read: the badge and the button gone", d -> !displayed("#jump")
                && page.contacts().getFirst().badge().isEmpty());
        page.script("document.getElementById('messages').scrollTop = 0");
        page.until("scrolled up", d -> (Boolean) page.script(
                "const l = document.getElementById('messages'); return l.scrollHeight - l.scrollTop - l.clientHeight > 200"));
        var top = page.script("return document.getElementById('messages').scrollTop");
        send(jan, conversation, "j-31", "line 31");
        page.until("the jump button", d -> displayed("#jump"));
        page.until("the jump button with the count", d -> one.findElement(By.id("jump")).getText()
                .equals("1 new · Jump to latest"));
        assertThat(page.script("return document.getElementById('messages').scrollTop")).as("view kept").isEqualTo(top);
        one.findElement(By.id("jump")).click();
        page.until("at the bottom, the button gone", d -> !displayed("#jump"));
    }

    private static List<String> systemLines(WebDriver driver) {
        @SuppressWarnings("unchecked")
        var lines = (List<String>) Browser.script(driver,
                "return [...document.querySelectorAll('#messages .system')].map(e => e.textContent)");
        return lines;
    }

    private static String conversationOf(WebDriver driver) {
        return (String) Browser.script(driver, "return JSON.parse(sessionStorage.getItem('hirechat.open')).conversationId");
    }

    private static boolean displayed(String selector) {
        var found = one.findElements(By.cssSelector(selector));
        return !found.isEmpty() && found.getFirst().isDisplayed();
    }

    private static boolean fullyOnScreen(String selector) {
        return (Boolean) Browser.script(one, """
                const r = document.querySelector(arguments[0]).getBoundingClientRect();
                return r.width > 0 && r.left >= 0 && r.top >= 0 && r.right <= innerWidth && r.bottom <= innerHeight;""",
                selector);
    }

    private static boolean noHorizontalScroll() {
        return (Boolean) Browser.script(one, """
                const root = document.documentElement;
                const list = document.getElementById('messages');
                return root.scrollWidth <= root.clientWidth && list.scrollWidth <= list.clientWidth + 1;""");
    }

    private static void profile(String userId, String name, String role) {
        var response = api.put("api/admin/users/" + userId, admin,
                "{\"displayName\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertThat(response.status()).as("profile of %s: %s", userId, response.body()).isEqualTo(204);
    }

    /** Sends as the host site would, waiting out the server's rate limit (a repeat is idempotent). */
    private static void send(String token, String conversation, String clientMessageId, String text) {
        var body = "{\"clientMessageId\":\"" + clientMessageId + "\",\"text\":\"" + text + "\"}";
        await("send " + clientMessageId).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    var ack = api.post("api/conversations/" + conversation + "/messages", token, body);
                    assertThat(ack.status()).as("send %s: %s", clientMessageId, ack.body()).isIn(200, 429);
                    return ack.status() == 200;
                });
    }

    /** The texts of the conversation as stored, oldest first, read through the API as {@code user}. */
    private static List<String> history(String conversation, String user) {
        var texts = new ArrayList<String>();
        Integer before = null;
        do {
            var page = api.get("api/conversations/" + conversation + "/messages?limit=200"
                    + (before == null ? "" : "&before=" + before), api.login(user)).body();
            page.path("messages").forEach(m -> texts.addFirst(m.path("text").asText()));
            before = page.path("nextBefore").isNull() ? null : page.path("nextBefore").asInt();
        } while (before != null);
        return texts;
    }
}
