package com.hirechat.infra;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What one person sees and does on the chat page. The client re-renders its lists on every frame, so lists are read
 * in one script call (a consistent snapshot) rather than through element handles that go stale between two reads.
 */
final class ChatPage {

    /**
     * A message bubble as shown: {@code state} is {@code stored}, {@code sending} (in the outbox), {@code sent}
     * (acknowledged, its stored frame not here yet) or {@code failed}; {@code sender} is the name it is shown under.
     */
    record Bubble(String text, String meta, boolean mine, String state, String clientMessageId, String sender) {
    }

    /** A row of the contacts sidebar; {@code badge} is the unread count shown, or empty. */
    record Contact(String name, String preview, String badge) {
    }

    // generous: the machine has two cores and other builds may be running
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final WebDriver driver;
    private final URI base;

    ChatPage(WebDriver driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    WebDriver driver() {
        return driver;
    }

    /** Forgets who was signed in in this tab (the page keeps that in sessionStorage), then opens the job board. */
    void openJobBoardSignedOut() {
        driver.get(base.resolve("jobs.html").toString());
        script("sessionStorage.clear()");
    }

    /** Signs in as someone else, as the host site's link does: its token in the URL fragment. */
    void signInFresh(String user) {
        openJobBoardSignedOut();
        driver.get(base + "#token=" + TestServers.token(user));
        awaitSignedIn(user);
    }

    /** Opens the chat with a token in the fragment, as the host site's link does, in whatever state this tab is. */
    void signInWithToken(String user, String token) {
        driver.get(base + "#token=" + token);
        awaitSignedIn(user);
    }

    /** The development sign-in form, in this tab as it is: the way a second person signs in after the first. */
    void signInByName(String user) {
        var field = until("the sign-in form", d -> {
            var input = d.findElement(By.id("login-user"));
            return input.isDisplayed() ? input : null;
        });
        field.clear();
        field.sendKeys(user, Keys.ENTER);
        awaitSignedIn(user);
    }

    void signOut() {
        driver.findElement(By.id("sign-out")).click();
    }

    /** Waits for the sign-in form, with the chat gone, showing {@code reason}. */
    void awaitSignInShown(String reason) {
        until("the sign-in saying '" + reason + "'", d -> d.findElement(By.id("login")).isDisplayed()
                && !d.findElement(By.id("chat")).isDisplayed()
                && reason.equals(d.findElement(By.id("login-error")).getText()));
    }

    /** Whether the message field and its Send button are both disabled (shown or not). */
    boolean composerDisabled() {
        return (Boolean) script("return [...document.getElementById('composer').elements].every(e => e.disabled)");
    }

    /**
     * Everything of the page a person could find without a debugger: the text of the whole document (hidden parts
     * too), every field's value, the tab's storage, the address and the title. The browser's kept outboxes are not
     * part of it: each belongs to one person and is read only by that person's sessions ({@link #keptOutboxes()}).
     */
    String everythingKept() {
        return (String) script("""
                return [document.documentElement.textContent,
                        ...[...document.querySelectorAll('input, textarea')].map(e => e.value),
                        ...Object.entries(sessionStorage).map(([k, v]) => k + '=' + v),
                        ...Object.entries(localStorage).filter(([k]) => !k.startsWith('hirechat-outbox.'))
                            .map(([k, v]) => k + '=' + v),
                        location.href, document.title].join('\\n');""");
    }

    /** The browser's kept outboxes of unsent messages: storage key to its JSON. */
    Map<String, String> keptOutboxes() {
        @SuppressWarnings("unchecked")
        var kept = (Map<String, String>) script("""
                return Object.fromEntries(Object.entries(localStorage).filter(([k]) => k.startsWith('hirechat-outbox.')));""");
        return kept;
    }

    /** The demo job board, keeping whoever is signed in in this tab. */
    void openJobBoard() {
        driver.get(base.resolve("jobs.html").toString());
    }

    void clickContactRecruiterFor(String jobId) {
        driver.findElement(By.cssSelector(".job-card[data-job-id='" + jobId + "'] .contact-recruiter")).click();
    }

    void awaitSignedIn(String user) {
        until("signed in as " + user, d -> d.findElement(By.id("chat")).isDisplayed()
                && user.equals(d.findElement(By.id("me")).getText()));
    }

    /** Types the person's user name (or name) into "Start a chat" and presses Enter: the exact match is picked. */
    void startChatWith(String user) {
        var field = driver.findElement(By.id("start-user"));
        field.sendKeys(user, Keys.ENTER);
    }

    void openContact(String name) {
        until("contact " + name + " to click", d -> {
            for (var row : d.findElements(By.cssSelector("#contacts .contact"))) {
                if (row.findElement(By.className("name")).getText().equals(name)) {
                    row.findElement(By.tagName("button")).click();
                    return true;
                }
            }
            return false;
        });
        awaitTitle(name);
    }

    /** Types into the composer without sending: the other side sees "is typing". */
    void type(String text) {
        composer().sendKeys(text);
    }

    void pressEnter() {
        composer().sendKeys(Keys.ENTER);
    }

    void send(String text) {
        composer().sendKeys(text, Keys.ENTER);
    }

    /** Lines joined with Shift+Enter, then sent with Enter. */
    void sendLines(String... lines) {
        var field = composer();
        for (int i = 0; i < lines.length; i++) {
            field.sendKeys(lines[i]);
            field.sendKeys(i < lines.length - 1 ? Keys.chord(Keys.SHIFT, Keys.ENTER) : Keys.ENTER);
        }
    }

    /** Sends text no keyboard can type (e.g. a lone surrogate) through the composer. */
    void sendRaw(String javascriptStringLiteral) {
        var field = composer();
        script("document.getElementById('text').value = " + javascriptStringLiteral);
        field.sendKeys(Keys.END, Keys.ENTER);
    }

    void clickRetry() {
        until("a Retry button", d -> {
            d.findElement(By.cssSelector("#messages .message.failed .retry")).click();
            return true;
        });
    }

    private org.openqa.selenium.WebElement composer() {
        return until("the composer", d -> {
            var text = d.findElement(By.id("text"));
            return text.isDisplayed() ? text : null;
        });
    }

    List<Bubble> bubbles() {
        List<?> rows = (List<?>) script("""
                return [...document.querySelectorAll('#messages .message')].map(li => ({
                  text: li.querySelector('.text').textContent.toWellFormed(),
                  meta: li.querySelector('.meta').textContent,
                  mine: li.classList.contains('mine'),
                  state: li.dataset.state,
                  clientMessageId: li.dataset.clientMessageId ?? '',
                  sender: li.dataset.sender ?? ''
                }));""");
        return rows.stream().map(Map.class::cast).map(row -> new Bubble((String) row.get("text"), (String) row.get("meta"),
                (Boolean) row.get("mine"), (String) row.get("state"), (String) row.get("clientMessageId"),
                (String) row.get("sender"))).toList();
    }

    List<String> texts() {
        return bubbles().stream().map(Bubble::text).toList();
    }

    List<Contact> contacts() {
        List<?> rows = (List<?>) script("""
                return [...document.querySelectorAll('#contacts .contact')].map(li => ({
                  name: li.querySelector('.name').textContent,
                  preview: li.querySelector('.preview').textContent,
                  badge: li.querySelector('.badge')?.textContent ?? ''
                }));""");
        return rows.stream().map(Map.class::cast).map(row -> new Contact((String) row.get("name"),
                (String) row.get("preview"), (String) row.get("badge"))).toList();
    }

    String title() {
        return driver.findElement(By.id("conversation-title")).getText();
    }

    String jobs() {
        return driver.findElement(By.id("jobs")).getText();
    }

    String typingLine() {
        return driver.findElement(By.id("typing")).getText();
    }

    String error() {
        return driver.findElement(By.id("chat-error")).getText();
    }

    boolean reconnectingShown() {
        return driver.findElement(By.id("reconnecting")).isDisplayed();
    }

    void awaitTitle(String title) {
        until("the conversation titled " + title, d -> title.equals(title()));
    }

    /** Waits until the conversation shows exactly these texts, in this order: a gap or a duplicate never matches. */
    void awaitExactly(List<String> texts) {
        until("exactly " + texts, d -> texts.equals(texts()));
    }

    void awaitBubble(String description, Predicate<Bubble> bubble) {
        until(description, d -> bubbles().stream().anyMatch(bubble));
    }

    void awaitContacts(String description, Predicate<List<Contact>> contacts) {
        until(description, d -> contacts.test(contacts()));
    }

    void awaitReconnecting(boolean shown) {
        until(shown ? "the reconnecting banner" : "the reconnecting banner to go", d -> reconnectingShown() == shown);
    }

    Object script(String javascript) {
        return ((JavascriptExecutor) driver).executeScript(javascript);
    }

    /** Polls until {@code condition} gives true or a value; on timeout the message names what was awaited and what was seen. */
    <T> T until(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, PATIENCE, Duration.ofMillis(100))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.ElementNotInteractableException.class)
                .withMessage(() -> "waited for " + what + "; the page shows " + describe())
                .until(condition);
    }

    /** What a failed wait reports: enough of the page to tell what went wrong without a screenshot. */
    private String describe() {
        try {
            return "title '" + title() + "', messages " + bubbles() + ", contacts " + contacts()
                    + ", error '" + error() + "', sign-in error '" + driver.findElement(By.id("login-error")).getText()
                    + "', jump '" + driver.findElement(By.id("jump")).getDomProperty("textContent")
                    + "' (hidden: " + driver.findElement(By.id("jump")).getDomProperty("hidden")
                    + "), url " + driver.getCurrentUrl();
        } catch (RuntimeException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
