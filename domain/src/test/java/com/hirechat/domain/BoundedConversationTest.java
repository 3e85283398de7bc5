package com.hirechat.domain;

import static com.hirechat.domain.ConversationTest.violation;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.hirechat.domain.ConversationCommands.EditMessage;
import com.hirechat.domain.ConversationCommands.RedactMessage;
import com.hirechat.domain.ConversationEvents.MessageEdited;
import com.hirechat.domain.ConversationEvents.MessageRedacted;

/**
 * A conversation longer than the messages the aggregate remembers: retries and edits of its older messages are
 * judged by the ledger, exactly as those of recent ones, and recent ones need no lookup.
 */
class BoundedConversationTest {

    private static final UserId SEEKER = UserId.of("seeker");
    private static final UserId RECRUITER = UserId.of("recruiter");
    private static final ConversationId DIRECT = ConversationId.direct(SEEKER, RECRUITER);
    /** Enough messages that the first ones fell out of the aggregate's memory. */
    private static final int LENGTH = 3 * Conversation.RECENT_MESSAGES;

    private AggregateTestFixture<Conversation> fixture;
    private InMemoryMessageLedger ledger;
    private Instant now;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Conversation.class);
        fixture.registerInjectableResource(new RecordTextChain());
        ledger = new InMemoryMessageLedger();
        fixture.registerInjectableResource(ledger);
        now = fixture.currentTime().truncatedTo(ChronoUnit.MICROS);
    }

    /** The conversation's first LENGTH messages, the seeker's odd ones, the recruiter's even ones, all stored. */
    private List<ConversationEvent> longConversation() {
        var events = new ArrayList<ConversationEvent>();
        events.add(new ConversationStarted(DIRECT, ConversationKind.DIRECT, SEEKER, List.of(RECRUITER, SEEKER), null,
                now, 0));
        for (int seq = 1; seq <= LENGTH; seq++) {
            events.add(sent("c-" + seq, seq % 2 == 1 ? SEEKER : RECRUITER, seq));
        }
        return events;
    }

    private MessageSent sent(String clientId, UserId sender, long seq) {
        var client = ClientMessageId.of(clientId);
        return new MessageSent(DIRECT, MessageId.of(DIRECT, sender, client), client, sender, "text " + seq, now, seq);
    }

    private Object[] stored(List<ConversationEvent> events) {
        ledger.storing(events);
        return events.toArray();
    }

    @Test
    void aRetryOfAnOldMessageReturnsItsOriginalAnswer() {
        var first = sent("c-1", SEEKER, 1);
        fixture.given(stored(longConversation()))
                .when(new SendMessage(DIRECT, SEEKER, ClientMessageId.of("c-1"), "sent again"))
                .expectNoEvents()
                .expectResultMessagePayload(new MessageAccepted(first.messageId(), 1, now));
    }

    @Test
    void anotherSendersOldClientIdIsAMessageOfItsOwn() {
        var client = ClientMessageId.of("c-1");
        fixture.given(stored(longConversation()))
                .when(new SendMessage(DIRECT, RECRUITER, client, "mine"))
                .expectEvents(new MessageSent(DIRECT, MessageId.of(DIRECT, RECRUITER, client), client, RECRUITER,
                        "mine", now, LENGTH + 1));
    }

    @Test
    void aRetryOfARecentMessageNeedsNoLookup() {
        var last = sent("c-" + LENGTH, RECRUITER, LENGTH);
        fixture.given(stored(longConversation()))
                .when(new SendMessage(DIRECT, RECRUITER, ClientMessageId.of("c-" + LENGTH), "again"))
                .expectNoEvents()
                .expectResultMessagePayload(new MessageAccepted(last.messageId(), LENGTH, now));
        assertThat(ledger.lookups()).isZero();
    }

    @Test
    void anOldMessageIsEditedByItsAuthorOnly() {
        var first = sent("c-1", SEEKER, 1);
        fixture.given(stored(longConversation()))
                .when(new EditMessage(DIRECT, SEEKER, first.messageId(), "better"))
                .expectEvents(new MessageEdited(DIRECT, first.messageId(), 1, SEEKER, "better", now, LENGTH + 1));
        fixture.given(stored(longConversation()))
                .when(new EditMessage(DIRECT, RECRUITER, first.messageId(), "not mine"))
                .expectException(violation(DomainError.NOT_THE_AUTHOR));
    }

    @Test
    void anOldRedactedMessageCannotBeEditedNorRedactedAgain() {
        var first = sent("c-1", SEEKER, 1);
        var events = longConversation();
        events.add(new MessageRedacted(DIRECT, first.messageId(), 1, SEEKER, false, now, LENGTH + 1));
        fixture.given(stored(events))
                .when(new EditMessage(DIRECT, SEEKER, first.messageId(), "back"))
                .expectException(violation(DomainError.MESSAGE_REDACTED));
        fixture.given(stored(events))
                .when(new RedactMessage(DIRECT, SEEKER, false, first.messageId()))
                .expectNoEvents();
    }

    @Test
    void aRedactionNotYetStoredIsRememberedByTheAggregate() {
        // redacted in this aggregate, not (yet) in the ledger: as while its transaction has not committed
        var first = sent("c-1", SEEKER, 1);
        var events = longConversation();
        ledger.storing(events);
        events.add(new MessageRedacted(DIRECT, first.messageId(), 1, SEEKER, false, now, LENGTH + 1));
        fixture.given(events.toArray())
                .when(new EditMessage(DIRECT, SEEKER, first.messageId(), "back"))
                .expectException(violation(DomainError.MESSAGE_REDACTED));
    }

    @Test
    void aMessageTheLedgerDoesNotKnowIsUnknown() {
        fixture.given(stored(longConversation()))
                .when(new EditMessage(DIRECT, SEEKER, MessageId.of(DIRECT, SEEKER, ClientMessageId.of("never")), "x"))
                .expectException(violation(DomainError.UNKNOWN_MESSAGE));
    }
}
