package com.hirechat.infra;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebDriver;

import com.hirechat.projections.TestDatabase;

/**
 * The browser client in Debian's headless Chromium against the whole application on PostgreSQL. Two browsers are two
 * people. Node A serves both browsers on a fixed port, so it can be stopped (every socket dropped by the server) and
 * started again at the same address; node B shares the database and takes messages while A is down.
 */
class BrowserChatTest {

    private static final String SEEKER = "seeker-99";
    private static final String RECRUITER = "recruiter-500";
    private static final String EARLIER_SEEKER = "seeker-12";
    private static final String NEXT_PERSON = "next-visitor";
    private static final Duration SIGNED_OUT_QUIET = Duration.ofMillis(6500);

    @TempDir
    static Path profiles;

    private static TestDatabase.Coordinates database;
    private static int port;
    private static URI base;
    private static ChatApplication nodeA;
    private static ChatApplication nodeB;
    private static ApiClient apiB;
    private static WebDriver seekerBrowser;
    private static WebDriver recruiterBrowser;

    @BeforeAll
    static void start() {
        Chromium.ensureInstalled();
        database = TestServers.freshDatabase();
        port = TestServers.freePort();
        base = URI.create("http://127.0.0.1:" + port + "/");
        nodeA = startNodeA();
        nodeB = TestServers.on(database, Map.of());
        apiB = new ApiClient(nodeB.uri());
        // the host site's profiles: the pages show these names
        var host = apiB.loginWithRoles("host-site", "admin");
        putProfile(host, SEEKER, "Sam Seeker", "seeker");
        putProfile(host, EARLIER_SEEKER, "Ola Nordmann", "seeker");
        putProfile(host, RECRUITER, "Rita at Acme", "recruiter");
        seekerBrowser = Chromium.start(profiles.resolve("seeker"));
        recruiterBrowser = Chromium.start(profiles.resolve("recruiter"));
    }

    @AfterAll
    static void stop() {
        for (var browser : new WebDriver[] {seekerBrowser, recruiterBrowser}) {
            if (browser != null) {
                browser.quit();
            }
        }
        for (var node : new ChatApplication[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @Test
    void seekerContactsARecruiterFromAJobTheyChatLiveAndAReconnectLosesAndDoublesNothing() {
        var seeker = new ChatPage(seekerBrowser, base);
        var recruiter = new ChatPage(recruiterBrowser, base);

        // the recruiter is already talking to someone else
        var ola = apiB.login(EARLIER_SEEKER);
        var olaConversation = apiB.startConversation(ola, RECRUITER);
        sendThroughNodeB(ola, olaConversation, "ola-1", "Hello, I applied for the Kotlin role last week.");
        recruiter.signInFresh(RECRUITER);
        recruiter.openContact("Ola Nordmann");
        recruiter.awaitExactly(List.of("Hello, I applied for the Kotlin role last week."));

        // the host site signs the visitor in (its token in the link's fragment); they browse its jobs and click
        // "Contact recruiter"
        seeker.signInFresh(SEEKER);
        seeker.openJobBoard();
        Screenshots.take(seekerBrowser, "jobs");
        seeker.clickContactRecruiterFor("job-42");
        seeker.awaitTitle("Rita at Acme");
        seeker.until("the job in the header", d -> seeker.jobs().contains("Job: Senior Java Engineer"));
        assertThat(seeker.script("return document.querySelector('#jobs a.job').getAttribute('href')"))
                .as("the job chip links to the job").isEqualTo("/jobs.html#job-42");

        var question = "Hi Rita, is the Senior Java Engineer role still open?";
        seeker.send(question);
        seeker.awaitBubble("the question stored", b -> b.text().equals(question) && b.state().equals("stored")
                && b.mine() && b.sender().equals("You") && b.meta().endsWith(" · Sent"));

        // the recruiter sees it arrive: newest activity on top, with an unread badge, the open conversation unchanged
        recruiter.awaitContacts("Sam on top with one unread message", contacts -> contacts.equals(List.of(
                new ChatPage.Contact("Sam Seeker", question, "1"),
                new ChatPage.Contact("Ola Nordmann", "Hello, I applied for the Kotlin role last week.", ""))));
        assertThat(recruiter.title()).isEqualTo("Ola Nordmann");
        Screenshots.take(recruiterBrowser, "recruiter-unread");

        recruiter.openContact("Sam Seeker");
        recruiter.awaitExactly(List.of(question));
        recruiter.until("the job in the header", d -> recruiter.jobs().contains("Job: Senior Java Engineer"));
        recruiter.awaitContacts("the badge cleared", contacts -> contacts.getFirst().badge().isEmpty());
        seeker.awaitBubble("a read receipt", b -> b.text().equals(question) && b.meta().endsWith(" · Seen"));
        recruiter.awaitBubble("Sam's question under his profile name", b -> b.text().equals(question)
                && !b.mine() && b.sender().equals("Sam Seeker"));

        var reply = "Yes, it is! Are you free for a call tomorrow?";
        recruiter.type(reply);
        seeker.until("the typing indicator", d -> seeker.typingLine().equals("Rita at Acme is typing…"));
        recruiter.pressEnter();
        seeker.awaitExactly(List.of(question, reply));
        seeker.until("the typing indicator to go", d -> seeker.typingLine().isEmpty());
        seeker.awaitContacts("the recruiter by profile name, with the reply", contacts -> contacts.equals(
                List.of(new ChatPage.Contact("Rita at Acme", reply, ""))));
        Screenshots.take(seekerBrowser, "seeker-conversation");

        // a reload comes back to the same conversation with its history, without following the link again
        seekerBrowser.navigate().refresh();
        seeker.awaitSignedIn(SEEKER);
        seeker.awaitTitle("Rita at Acme");
        seeker.awaitExactly(List.of(question, reply));
        assertThat(seekerBrowser.getCurrentUrl()).doesNotContain("with=");

        // the network is cut: node A goes away with every socket; meanwhile the seeker writes through node B
        // and the recruiter types a message of their own
        nodeA.close();
        seeker.awaitReconnecting(true);
        recruiter.awaitReconnecting(true);
        var samToken = apiB.login(SEEKER);
        var conversation = apiB.startConversation(samToken, RECRUITER);
        var meanwhile = new ArrayList<String>();
        for (int n = 1; n <= 3; n++) {
            meanwhile.add("Sent while you were away, " + n);
            sendThroughNodeB(samToken, conversation, "away-" + n, meanwhile.getLast());
        }
        var offline = "Typed while the connection was down";
        recruiter.send(offline);
        recruiter.awaitBubble("the offline message waiting", b -> b.text().equals(offline) && b.state().equals("sending")
                && b.meta().endsWith("Waiting for connection…"));
        Screenshots.take(recruiterBrowser, "reconnecting");

        nodeA = startNodeA();
        recruiter.awaitReconnecting(false);
        seeker.awaitReconnecting(false);
        recruiter.awaitBubble("the offline message stored", b -> b.text().equals(offline) && b.state().equals("stored"));
        // the last message of the conversation: once it is shown, everything before it has been delivered
        var last = "Great, talk tomorrow!";
        seeker.send(last);

        var expected = new ArrayList<>(List.of(question, reply));
        expected.addAll(meanwhile);
        expected.addAll(List.of(offline, last));
        recruiter.awaitExactly(expected);
        seeker.awaitExactly(expected);
        assertThat(recruiter.bubbles()).allMatch(b -> b.state().equals("stored"));
        assertThat(seeker.bubbles()).allMatch(b -> b.state().equals("stored"));
    }

    @Test
    void textIsShownAsTypedNeverAsMarkup() {
        var mallory = new ChatPage(seekerBrowser, base);
        var victim = new ChatPage(recruiterBrowser, base);
        var host = apiB.loginWithRoles("host-site", "admin");
        putProfile(host, "victim", "victim", "seeker");
        putProfile(host, "mallory", "mallory", "seeker");
        victim.signInFresh("victim");
        mallory.signInFresh("mallory");
        mallory.startChatWith("victim");
        mallory.awaitTitle("victim");

        var markup = "<img src=x onerror=\"window.pwned = true\"><b id=\"injected\">bold?</b> & <script>window.pwned = true</script>";
        mallory.sendLines("first line", "second line");
        mallory.send(markup);
        mallory.awaitExactly(List.of("first line\nsecond line", markup));

        victim.awaitContacts("the markup as the preview", contacts -> contacts.equals(
                List.of(new ChatPage.Contact("mallory", markup, "2"))));
        victim.openContact("mallory");
        victim.awaitExactly(List.of("first line\nsecond line", markup));

        for (var page : List.of(mallory, victim)) {
            assertThat(page.script("return document.getElementById('injected') === null"
                    + " && document.querySelectorAll('#messages img, #messages b, #messages script, #contacts b').length === 0"
                    + " && window.pwned === undefined")).as("no element injected, no script run").isEqualTo(true);
        }
    }

    @Test
    void aRefusedMessageIsMarkedFailedAndItsRetryKeepsItsClientMessageId() {
        var writer = new ChatPage(seekerBrowser, base);
        putProfile(apiB.loginWithRoles("host-site", "admin"), "reader-of-nothing", "reader-of-nothing", "other");
        writer.signInFresh("writer");
        writer.startChatWith("reader-of-nothing");
        writer.awaitTitle("reader-of-nothing");

        writer.sendRaw("'broken \\uD800 text'");   // a lone surrogate: the server refuses it with invalid_text
        writer.awaitBubble("the refused message", b -> b.state().equals("failed")
                && b.meta().endsWith("Not sent: That message contains characters that cannot be sent."));
        // a sentence, never the raw code
        writer.until("the reason", d -> writer.error().equals("That message contains characters that cannot be sent."));
        var first = writer.bubbles().getFirst().clientMessageId();

        writer.clickRetry();
        writer.awaitBubble("the retry refused again", b -> b.state().equals("failed"));
        assertThat(writer.bubbles()).singleElement()
                .satisfies(b -> assertThat(b.clientMessageId()).isEqualTo(first).isNotEmpty());
    }

    @Test
    void scrollingUpLoadsOlderPagesAndKeepsTheReaderInPlace() {
        var archivist = apiB.login("archivist");
        var conversation = apiB.startConversation(archivist, "reader");
        var all = IntStream.rangeClosed(1, 120).mapToObj(n -> "message " + n).toList();
        for (int n = 1; n <= all.size(); n++) {
            sendThroughNodeB(archivist, conversation, "m-" + n, all.get(n - 1));
        }
        var readerToken = apiB.login("reader");
        await().atMost(Duration.ofSeconds(20)).until(() -> apiB.get("api/contacts", readerToken).body()
                .path("contacts").path(0).path("lastSeq").asLong() == all.size());

        var reader = new ChatPage(recruiterBrowser, base);
        reader.signInFresh("reader");
        reader.openContact("archivist");
        reader.awaitExactly(all.subList(70, 120));       // the newest page of 50

        // where the top message is when the reader reaches the top (measured before the older page can arrive)
        var offsetOfMessage71 = """
                const list = document.getElementById('messages');
                const oldTop = [...list.querySelectorAll('.message .text')].find(e => e.textContent === 'message 71');
                return oldTop.getBoundingClientRect().top - list.getBoundingClientRect().top;""";
        var before = ((Number) reader.script("document.getElementById('messages').scrollTop = 0;"
                + offsetOfMessage71)).doubleValue();
        assertThat(before).as("position of the top message at the top").isBetween(0.0, 150.0);
        reader.awaitExactly(all.subList(20, 120));
        // the message that was at the top is still where the reader was looking
        var after = ((Number) reader.script(offsetOfMessage71)).doubleValue();
        assertThat(after).as("position of the former top message").isCloseTo(before, org.assertj.core.data.Offset.offset(2.0));

        reader.script("document.getElementById('messages').scrollTop = 0");
        reader.awaitExactly(all);
    }

    /**
     * Point 21 of the issue, as reported: Sam signs in on the default local run with a development token, opens a
     * conversation, the server restarts (the token dies with its per-process secret), and the next person signs in
     * in the same tab. Nothing of Sam may stay on the page or in the tab's storage, nothing may be polled while
     * nobody is signed in, and the next person gets one socket and one set of pollers.
     */
    @Test
    void whenASessionEndsTheNextPersonInTheTabFindsNothingOfThePreviousOneAndOnlyOneSetOfPollers(@TempDir Path dataDir) {
        var localPort = TestServers.freePort();
        var local = TestServers.localRunIn(dataDir, localPort);
        var localBase = URI.create("http://127.0.0.1:" + localPort + "/");
        try (var network = NetworkLog.install(seekerBrowser)) {
            var api = new ApiClient(localBase);
            var samToken = api.devLogin(SEEKER);
            var started = api.post("api/conversations", samToken,
                    "{\"with\":\"" + RECRUITER + "\",\"job\":{\"id\":\"job-42\",\"title\":\"Senior Java Engineer\"}}");
            assertThat(started.status()).as("start: %s", started.body()).isEqualTo(200);
            var conversation = started.body().path("conversationId").asText();
            var rita = api.devLogin(RECRUITER);
            var history = List.of("Sam asks about the salary band", "Rita says it is 90k to 110k", "Sam's notice is 3 months");
            var senders = List.of(samToken, rita, samToken);
            for (int n = 0; n < history.size(); n++) {
                var ack = api.post("api/conversations/" + conversation + "/messages", senders.get(n),
                        "{\"clientMessageId\":\"h-" + n + "\",\"text\":\"" + history.get(n) + "\"}");
                assertThat(ack.status()).as("send %s: %s", n, ack.body()).isEqualTo(200);
            }

            var page = new ChatPage(seekerBrowser, localBase);
            page.signInWithToken(SEEKER, samToken);
            page.openContact("Rita at Acme");   // the demo board's recruiter, registered by the development run
            page.awaitExactly(history);
            page.until("the job in the header", d -> page.jobs().contains("Job: Senior Java Engineer"));

            // the server restarts on the same data and port; meanwhile Sam queues a message and starts another
            local.close();
            local = null;
            page.awaitReconnecting(true);
            var outbox = "Sam's offline message about his current salary";
            page.send(outbox);
            page.awaitBubble("Sam's message in the outbox", b -> b.text().equals(outbox) && b.state().equals("sending"));
            var draft = "Sam's unsent draft";
            page.type(draft);
            local = TestServers.localRunIn(dataDir, localPort);

            // the page finds Sam's token refused: the session is over
            page.awaitSignInShown("Your session has ended; sign in again.");
            var samsTraces = new ArrayList<>(history);
            samsTraces.addAll(List.of(outbox, draft, SEEKER, RECRUITER, "Rita at Acme", "Senior Java Engineer", conversation,
                    samToken));
            assertThat(page.everythingKept()).as("the signed-out page").doesNotContain(samsTraces);
            // Sam's unsent message is kept for Sam alone: one outbox, under a key that does not name him
            assertThat(page.keptOutboxes().entrySet()).as("outboxes kept in the browser").singleElement().satisfies(kept -> {
                assertThat(kept.getKey()).doesNotContain(SEEKER);
                assertThat(kept.getValue()).contains(outbox).doesNotContain(draft);
            });
            assertThat(page.composerDisabled()).as("composer while signed out").isTrue();
            assertThat(network.liveSockets()).as("sockets while signed out").isZero();
            // Quiet for longer than its longest reconnect delay (5 s + 20 % jitter): a page still reconnecting (or
            // polling, against a server without the inbox) makes at least one request in this window.
            var signedOut = network.mark();
            await("nothing polled or reconnected while signed out").during(SIGNED_OUT_QUIET)
                    .atMost(SIGNED_OUT_QUIET.plusSeconds(3)).untilAsserted(() -> {
                        assertThat(network.fetchesSince(signedOut)).as("requests while signed out").isEmpty();
                        assertThat(network.socketsSince(signedOut)).as("sockets opened while signed out").isZero();
                    });

            // the next person signs in in the same tab
            var beforeNext = network.mark();
            page.signInByName(NEXT_PERSON);
            assertThat(page.everythingKept()).as("the next person's page").doesNotContain(samsTraces);
            assertThat(page.composerDisabled()).as("composer with no conversation open").isTrue();
            page.until("the next person's socket open", d -> (Boolean) page.script(
                    "return window.__hirechatNetwork.sockets.at(-1)?.readyState === 1"));

            // No poller at all: the sidebar is fetched at sign-in and once more when the inbox opens (a live hint, so
            // what happened before it opened comes from the sidebar), then only pushed events. A poll left over from
            // Sam, or a second socket's inbox, makes more requests than two within the quiet window.
            await("the sidebar fetched at sign-in and when the inbox opened").atMost(Duration.ofSeconds(20))
                    .until(() -> network.timesOf("/api/contacts", beforeNext).size() >= 2);
            await("no polling").during(SIGNED_OUT_QUIET).atMost(SIGNED_OUT_QUIET.plusSeconds(3)).untilAsserted(() ->
                    assertThat(network.timesOf("/api/contacts", beforeNext)).as("contact requests since the sign-in")
                            .hasSize(2));
            assertThat(network.framesSince(beforeNext)).as("inbox subscriptions of the next person")
                    .filteredOn(frame -> frame.contains("subscribe_inbox")).hasSize(1);
            assertThat(network.socketsSince(beforeNext)).as("sockets opened for the next person").isEqualTo(1);
            assertThat(network.liveSockets()).as("sockets of the page").isEqualTo(1);
            assertThat(network.fetchesSince(beforeNext)).as("requests since the sign-in")
                    .containsOnly("/api/dev/login", "/api/contacts").containsOnlyOnce("/api/dev/login");
            assertThat(network.framesSince(beforeNext)).as("frames the next person's socket sent")
                    .noneMatch(frame -> frame.contains(conversation) || frame.contains(outbox));

            // the composer comes back with a conversation of their own, and works
            var admin = api.post("api/dev/login", null, "{\"userId\":\"host-site\",\"roles\":[\"admin\"]}");
            var profile = api.put("api/admin/users/recruiter-610", admin.body().path("token").asText(),
                    "{\"displayName\":\"Globex recruiting\",\"role\":\"recruiter\"}");
            assertThat(profile.status()).as("profile: %s", profile.body()).isEqualTo(204);
            page.startChatWith("recruiter-610");
            page.awaitTitle("Globex recruiting");
            assertThat(page.composerDisabled()).as("composer with a conversation open").isFalse();
            var hello = "Hello from the next visitor";
            page.send(hello);
            page.awaitBubble("their message stored", b -> b.text().equals(hello) && b.state().equals("stored"));
            assertThat(page.texts()).containsExactly(hello);
            assertThat(page.everythingKept()).as("the next person's conversation").doesNotContain(samsTraces);

            // signing out by hand ends the session the same way
            page.signOut();
            page.awaitSignInShown("");
            assertThat(page.everythingKept()).as("the page after signing out")
                    .doesNotContain(hello, NEXT_PERSON, "recruiter-610", "Globex recruiting");
            page.until("the socket closed", d -> network.liveSockets() == 0);
            assertThat(page.composerDisabled()).as("composer after signing out").isTrue();

            // Sam comes back to this browser: his kept message goes out once, after his history, and leaves the outbox
            page.signInByName(SEEKER);
            page.openContact("Rita at Acme");   // the demo board's recruiter, registered by the development run
            var withKept = new ArrayList<>(history);
            withKept.add(outbox);
            page.awaitExactly(withKept);
            page.awaitBubble("the kept message stored", b -> b.text().equals(outbox) && b.state().equals("stored"));
            page.until("the outbox emptied", d -> page.keptOutboxes().isEmpty());
        } finally {
            if (local != null) {
                local.close();
            }
        }
    }

    private static ChatApplication startNodeA() {
        return TestServers.on(database, Map.of("HIRECHAT_PORT", Integer.toString(port)));
    }

    private static void putProfile(String adminToken, String userId, String name, String role) {
        var response = apiB.put("api/admin/users/" + userId, adminToken,
                "{\"displayName\":\"" + name + "\",\"role\":\"" + role + "\"}");
        assertThat(response.status()).as("profile of %s: %s", userId, response.body()).isEqualTo(204);
    }

    private static void sendThroughNodeB(String token, String conversation, String clientMessageId, String text) {
        var ack = apiB.post("api/conversations/" + conversation + "/messages", token,
                "{\"clientMessageId\":\"" + clientMessageId + "\",\"text\":\"" + text + "\"}");
        assertThat(ack.status()).as("send %s: %s", clientMessageId, ack.body()).isEqualTo(200);
    }
}
