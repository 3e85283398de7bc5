package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the client's people picker, group timeline and sidebar read over real HTTP: {@code GET /api/users?q=}, a
 * group's {@code membership}, and contacts after a message is removed.
 */
class PeopleAndTimelineTest {

    private static ChatApplication app;
    private static ApiClient api;
    private static String admin;

    @BeforeAll
    static void start() {
        app = TestServers.onFreshDatabase();
        api = new ApiClient(app.uri());
        admin = api.loginWithRoles("host-site", "admin");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static String unique(String role) {
        return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void register(String user, String name, String role) {
        assertThat(api.put("api/admin/users/" + user, admin,
                "{\"displayName\":\"" + name + "\",\"role\":\"" + role + "\"}").status()).isEqualTo(204);
    }

    private static ApiClient.Response search(String token, String query) {
        return api.get("api/users?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20"), token);
    }

    @Test
    void searchFindsRegisteredPeopleByAnyPartOfTheirIdOrNameIgnoringCase() {
        var tag = UUID.randomUUID().toString().substring(0, 6);
        var rita = "recruiter-" + tag + "-1";
        var ritva = "recruiter-" + tag + "-2";
        var sam = "seeker-" + tag;
        register(rita, "Rita Berg " + tag, "recruiter");
        register(ritva, "Ritva at Globex", "company");
        register(sam, "Sam Seeker", "seeker");
        var token = api.login(unique("seeker"));

        var byId = await().atMost(Duration.ofSeconds(10)).until(() -> search(token, tag.toUpperCase()),
                answer -> answer.body().path("users").size() == 3);
        assertThat(byId.status()).isEqualTo(200);
        assertThat(byId.body().path("users")).extracting(user -> user.path("userId").asText())
                .containsExactlyInAnyOrder(rita, ritva, sam);
        var first = byId.body().path("users").get(0);
        assertThat(first.fieldNames()).toIterable().containsExactlyInAnyOrder("userId", "displayName", "avatarUrl",
                "role");

        var byName = await().atMost(Duration.ofSeconds(10)).until(() -> search(token, "  rItA berg " + tag + " "),
                answer -> answer.body().path("users").size() == 1).body().path("users").get(0);
        assertThat(byName.path("userId").asText()).isEqualTo(rita);
        assertThat(byName.path("displayName").asText()).isEqualTo("Rita Berg " + tag);
        assertThat(byName.path("role").asText()).isEqualTo("RECRUITER");
        assertThat(byName.path("avatarUrl").isNull()).isTrue();

        assertThat(api.get("api/users?q=" + tag + "&limit=2", token).body().path("users")).hasSize(2);
        // wildcards of SQL are plain characters here
        assertThat(search(token, "%").body().path("users")).isEmpty();
        assertThat(search(token, "_").body().path("users")).isEmpty();
        // someone nobody registered is not offered
        assertThat(search(token, unique("nobody")).body().path("users")).isEmpty();
    }

    @Test
    void aBadQueryOrLimitIsRefusedWithItsCode() {
        var token = api.login(unique("seeker"));
        for (var query : new String[] {"api/users", "api/users?q=", "api/users?q=%20%20", "api/users?q=" + "x".repeat(65)}) {
            var answer = api.get(query, token);
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat(answer.errorCode()).as(query).isEqualTo("invalid_query");
        }
        assertThat(api.get("api/users?q=" + "x".repeat(64), token).status()).isEqualTo(200);
        for (var limit : new String[] {"0", "51", "-1", "ten"}) {
            var answer = api.get("api/users?q=rita&limit=" + limit, token);
            assertThat(answer.status()).as(limit).isEqualTo(400);
            assertThat(answer.errorCode()).as(limit).isEqualTo("invalid_parameter");
        }
        assertThat(api.get("api/users?q=rita&limit=50", token).status()).isEqualTo(200);
        assertThat(api.get("api/users?q=rita", null).status()).isEqualTo(401);
    }

    @Test
    void aGroupsTimelineListsWhoJoinedAndLeftAfterItsStartInOrder() {
        var owner = unique("owner");
        var first = unique("member");
        var joiner = unique("joiner");
        var ownerToken = api.login(owner);
        var group = api.post("api/conversations", ownerToken,
                "{\"participants\":[\"" + first + "\"],\"title\":\"Panel\"}").body().path("conversationId").asText();
        var path = "api/conversations/" + group;
        assertThat(api.post(path + "/participants", ownerToken, "{\"userId\":\"" + joiner + "\"}").status())
                .isEqualTo(204);
        assertThat(api.delete(path + "/participants/" + first, ownerToken).status()).isEqualTo(204);
        var joinerToken = api.login(joiner);
        assertThat(api.delete(path + "/participants/" + joiner, joinerToken).status()).isEqualTo(204);
        assertThat(api.post(path + "/participants", ownerToken, "{\"userId\":\"" + joiner + "\"}").status())
                .isEqualTo(204);

        var view = await().atMost(Duration.ofSeconds(10)).until(() -> api.get(path, ownerToken),
                answer -> answer.status() == 200).body();
        var membership = view.path("membership");
        assertThat(membership).extracting(entry -> entry.path("seq").asLong()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(membership).extracting(entry -> entry.path("userId").asText())
                .containsExactly(joiner, first, joiner, joiner);
        assertThat(membership).extracting(entry -> entry.path("change").asText())
                .containsExactly("added", "removed", "removed", "added");
        assertThat(membership).extracting(entry -> entry.path("by").asText())
                .containsExactly(owner, owner, joiner, owner);
        assertThat(membership).allSatisfy(entry -> assertThat(java.time.Instant.parse(entry.path("at").textValue()))
                .isAfterOrEqualTo(java.time.Instant.parse(view.path("startedAt").textValue())));
        // the start's participants are in participants, not in the timeline
        assertThat(view.path("participants")).extracting(member -> member.path("userId").asText())
                .containsExactlyInAnyOrder(owner, joiner);

        var direct = api.startConversation(ownerToken, unique("recruiter"));
        var directView = await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get("api/conversations/" + direct, ownerToken), answer -> answer.status() == 200);
        assertThat(directView.body().path("membership").isArray()).isTrue();
        assertThat(directView.body().path("membership")).isEmpty();
    }

    @Test
    void aFormerParticipantSeesTheHeaderAndTimelineAsTheyWereAtTheirRemoval() {
        var owner = unique("owner");
        var leaver = unique("leaver");
        var stayer = unique("stayer");
        var early = unique("early");
        var late = unique("late");
        var ownerToken = api.login(owner);
        var group = api.post("api/conversations", ownerToken, "{\"participants\":[\"" + leaver + "\",\"" + stayer
                + "\"],\"title\":\"Panel\"}").body().path("conversationId").asText();
        var path = "api/conversations/" + group;
        assertThat(api.post(path + "/participants", ownerToken, "{\"userId\":\"" + early + "\"}").status())
                .isEqualTo(204);
        assertThat(api.delete(path + "/participants/" + leaver, ownerToken).status()).isEqualTo(204);
        assertThat(api.post(path + "/jobs", ownerToken, "{\"id\":\"job-9\",\"title\":\"Later job\"}").status())
                .isEqualTo(204);
        assertThat(api.post(path + "/participants", ownerToken, "{\"userId\":\"" + late + "\"}").status())
                .isEqualTo(204);
        assertThat(api.delete(path + "/participants/" + stayer, ownerToken).status()).isEqualTo(204);

        var current = await().atMost(Duration.ofSeconds(10)).until(() -> api.get(path, ownerToken),
                answer -> answer.status() == 200 && answer.body().path("jobs").size() == 1).body();
        assertThat(current.path("participants")).extracting(member -> member.path("userId").asText())
                .containsExactlyInAnyOrder(owner, early, late);
        assertThat(current.path("membership")).extracting(entry -> entry.path("seq").asLong())
                .containsExactly(1L, 2L, 4L, 5L);

        var asLeft = api.get(path, api.login(leaver));
        assertThat(asLeft.status()).isEqualTo(200);
        assertThat(asLeft.body().path("participants")).extracting(member -> member.path("userId").asText())
                .as("the members just after their removal").containsExactlyInAnyOrder(owner, stayer, early);
        assertThat(asLeft.body().path("jobs")).as("linked after their removal").isEmpty();
        assertThat(asLeft.body().path("membership")).extracting(entry -> entry.path("userId").asText() + " "
                + entry.path("change").asText()).containsExactly(early + " added", leaver + " removed");
        assertThat(asLeft.body().path("title").asText()).isEqualTo("Panel");
        // who never took part learns nothing
        var outsider = api.get(path, api.login(unique("outsider")));
        assertThat(outsider.status()).isEqualTo(403);
        assertThat(outsider.errorCode()).isEqualTo("not_a_participant");
    }

    @Test
    void aRemovedMessageLeavesTheSidebarPreviewAndNoLongerCountsAsUnread() {
        var seeker = unique("seeker");
        var recruiter = unique("recruiter");
        var seekerToken = api.login(seeker);
        var recruiterToken = api.login(recruiter);
        var conversation = api.startConversation(seekerToken, recruiter);
        var path = "api/conversations/" + conversation;
        var one = post(recruiterToken, path, "r-1", "first");
        var two = post(recruiterToken, path, "r-2", "second");
        var three = post(recruiterToken, path, "r-3", "the secret one");
        var seekerContact = awaitContact(seekerToken, conversation, c -> c.path("unreadCount").asInt() == 3);
        assertThat(seekerContact.path("lastMessagePreview").asText()).isEqualTo("the secret one");

        assertThat(api.delete(path + "/messages/" + three, recruiterToken).status()).isEqualTo(204);
        var afterRedaction = awaitContact(seekerToken, conversation, c -> c.path("lastMessageRemoved").asBoolean());
        assertThat(afterRedaction.path("lastMessagePreview").isNull()).isTrue();
        assertThat(afterRedaction.path("unreadCount").asInt()).isEqualTo(2);
        // the author's own row never counted it
        assertThat(awaitContact(recruiterToken, conversation, c -> c.path("lastMessageRemoved").asBoolean())
                .path("unreadCount").asInt()).isZero();

        // read up to the first: the removed one is not counted again when the count is taken afresh
        assertThat(api.post(path + "/read", seekerToken, "{\"upToSeq\":1}").status()).isEqualTo(204);
        awaitContact(seekerToken, conversation, c -> c.path("readUpTo").asLong() == 1);
        assertThat(awaitContact(seekerToken, conversation, c -> c.path("readUpTo").asLong() == 1)
                .path("unreadCount").asInt()).isEqualTo(1);
        // removing a message already read changes no count
        assertThat(api.delete(path + "/messages/" + one, recruiterToken).status()).isEqualTo(204);
        var latest = awaitContact(seekerToken, conversation, c -> c.path("lastSeq").asLong() == 6);
        assertThat(latest.path("unreadCount").asInt()).isEqualTo(1);
        assertThat(api.delete(path + "/messages/" + two, recruiterToken).status()).isEqualTo(204);
        assertThat(awaitContact(seekerToken, conversation, c -> c.path("lastSeq").asLong() == 7)
                .path("unreadCount").asInt()).isZero();
    }

    private static String post(String token, String path, String clientMessageId, String text) {
        var answer = api.post(path + "/messages", token,
                "{\"clientMessageId\":\"" + clientMessageId + "\",\"text\":\"" + text + "\"}");
        assertThat(answer.status()).isEqualTo(200);
        return answer.body().path("messageId").asText();
    }

    private static JsonNode awaitContact(String token, String conversation, java.util.function.Predicate<JsonNode> until) {
        return await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (var contact : api.get("api/contacts", token).body().path("contacts")) {
                if (contact.path("conversationId").asText().equals(conversation)) {
                    return contact;
                }
            }
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }, until::test);
    }
}
