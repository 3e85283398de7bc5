package com.hirechat.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The frozen scheme-1 text: revision-1 records as the JDK printed them, whatever today's records are called. */
class SchemeOneTextTest {

    private static final ConversationId CONVERSATION = ConversationId.of("0ed24b1f-6abf-3f0a-9cd7-81b4a066c431");
    private static final UserId ANA = UserId.of("ana");
    private static final Instant AT = Instant.parse("2026-12-06T02:01:52.882412Z");

    @Test
    void aMessageSentPrintsAsItsRevisionOneRecordWithSenderNotSentBy() {
        var client = ClientMessageId.of("s-1");
        var sent = new MessageSent(CONVERSATION, MessageId.of("10268731-fadf-33c6-a880-dc8bb26a7461"), client, ANA,
                "Hello, [x=y]", AT, 2);
        assertThat(SchemeOneText.of(sent)).isEqualTo("MessageSent[conversationId=" + CONVERSATION
                + ", messageId=" + sent.messageId() + ", clientMessageId=" + client + ", sender=" + ANA
                + ", text=Hello, [x=y], sentAt=2026-12-06T02:01:52.882412Z, seq=2]");
        // the JDK's text of today's record differs in the renamed component's name and the added attachments (issue 26)
        assertThat(SchemeOneText.of(sent)).isEqualTo(sent.toString().replace(", sentBy=", ", sender=")
                        .replace(", attachments=[]]", "]"))
                .isNotEqualTo(sent.toString());
    }

    @Test
    void eventsStillInTheirRevisionOneShapePrintThemselves() {
        List<ConversationEvent> unchanged = List.of(
                new ConversationStarted(CONVERSATION, ConversationKind.GROUP, ANA, List.of(ANA), "team", AT, 0),
                new ConversationEvents.MessagesRead(CONVERSATION, ANA, 1, AT, 3));
        for (var event : unchanged) {
            assertThat(SchemeOneText.of(event)).isEqualTo(event.toString());
        }
    }
}
