package com.hirechat.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The script behind the golden records (golden/v1): every event type the application stores, as its HTTP API
 * stores it. The golden-record tests assert the read models and answers this script leads to.
 */
final class GoldenScript {

    static final String FILE = "domain_event_entry.jsonl";
    static final String SEEKER = "golden-seeker";
    static final String RECRUITER = "golden-recruiter";
    static final String MANAGER = "golden-manager";
    static final String GUEST = "golden-guest";
    static final String ADMIN = "golden-admin";
    static final String EDITED_TEXT = "Great — tomorrow at 10? 👍";

    private GoldenScript() {
    }

    static void play(ApiClient api) {
        var admin = api.loginWithRoles(ADMIN, "admin");
        var seeker = api.login(SEEKER);
        var recruiter = api.login(RECRUITER);
        var manager = api.login(MANAGER);
        var guest = api.login(GUEST);

        // UserRegistered twice, UserProfileUpdated once
        ok(api.put("api/admin/users/" + SEEKER, admin, "{\"displayName\":\"Sam Seeker\",\"role\":\"seeker\"}"));
        ok(api.put("api/admin/users/" + RECRUITER, admin,
                "{\"displayName\":\"Rita at Acme\",\"avatarUrl\":\"https://cdn.example/rita.png\",\"role\":\"recruiter\"}"));
        ok(api.put("api/admin/users/" + RECRUITER, admin,
                "{\"displayName\":\"Rita Recruiter\",\"avatarUrl\":\"https://cdn.example/rita.png\",\"role\":\"recruiter\"}"));

        // direct: ConversationStarted, JobLinked, MessageSent, MessageEdited, MessagesRead, MessageRedacted (author)
        var direct = ok(api.post("api/conversations", seeker, "{\"with\":\"" + RECRUITER
                + "\",\"job\":{\"id\":\"job-42\",\"title\":\"Senior Java Engineer\"}}")).path("conversationId").asText();
        var messages = "api/conversations/" + direct + "/messages";
        ok(api.post(messages, seeker, "{\"clientMessageId\":\"s-1\",\"text\":\"Hello, is the role still open?\"}"));
        ok(api.post(messages, recruiter, "{\"clientMessageId\":\"r-1\",\"text\":\"Yes! Want to talk?\"}"));
        var toEdit = ok(api.post(messages, seeker, "{\"clientMessageId\":\"s-2\",\"text\":\"Great, tomorrow?\"}"))
                .path("messageId").asText();
        ok(api.patch(messages + "/" + toEdit, seeker, "{\"text\":\"" + EDITED_TEXT + "\"}"));
        ok(api.post("api/conversations/" + direct + "/read", recruiter, "{\"upToSeq\":5}"));
        var oops = ok(api.post(messages, recruiter, "{\"clientMessageId\":\"r-2\",\"text\":\"oops, wrong chat\"}"))
                .path("messageId").asText();
        ok(api.delete(messages + "/" + oops, recruiter));

        // group: ConversationStarted, ParticipantAdded, MessageSent, MessageRedacted (admin), ParticipantRemoved
        var group = ok(api.post("api/conversations", manager, "{\"participants\":[\"" + SEEKER + "\",\"" + RECRUITER
                + "\"],\"title\":\"Interview panel\"}")).path("conversationId").asText();
        var groupMessages = "api/conversations/" + group + "/messages";
        ok(api.post("api/conversations/" + group + "/participants", manager, "{\"userId\":\"" + GUEST + "\"}"));
        ok(api.post(groupMessages, manager, "{\"clientMessageId\":\"g-1\",\"text\":\"Welcome, all\"}"));
        var spam = ok(api.post(groupMessages, guest, "{\"clientMessageId\":\"g-2\",\"text\":\"buy cheap watches\"}"))
                .path("messageId").asText();
        ok(api.delete(groupMessages + "/" + spam, admin));
        ok(api.delete("api/conversations/" + group + "/participants/" + GUEST, manager));
    }

    private static JsonNode ok(ApiClient.Response response) {
        assertThat(response.status()).as(response.toString()).isBetween(200, 204);
        return response.body();
    }
}
