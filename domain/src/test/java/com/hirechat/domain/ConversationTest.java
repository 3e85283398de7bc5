package com.hirechat.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.matchers.Matchers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConversationTest {

    private static final UserId SEEKER = UserId.of("seeker-99");
    private static final UserId RECRUITER = UserId.of("recruiter-500");
    private static final UserId STRANGER = UserId.of("stranger");
    private static final ConversationId DIRECT = ConversationId.direct(SEEKER, RECRUITER);

    private AggregateTestFixture<Conversation> fixture;
    private Instant now;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Conversation.class);
        fixture.registerInjectableResource(new RecordTextChain());
        // these conversations stay within the messages the aggregate remembers: the ledger holds nothing older
        fixture.registerInjectableResource(new InMemoryMessageLedger());
        now = fixture.currentTime().truncatedTo(ChronoUnit.MICROS);
    }

    private ConversationStarted started() {
        return new ConversationStarted(DIRECT, ConversationKind.DIRECT, SEEKER, List.of(RECRUITER, SEEKER), null, now, 0);
    }

    private MessageSent sent(String clientMessageId, UserId sender, String text, long seq) {
        var client = ClientMessageId.of(clientMessageId);
        return new MessageSent(DIRECT, MessageId.of(DIRECT, sender, client), client, sender, text, now, seq);
    }

    @Test
    void directConversationIdDoesNotDependOnWhoStartsIt() {
        assertThat(ConversationId.direct(SEEKER, RECRUITER)).isEqualTo(ConversationId.direct(RECRUITER, SEEKER));
        assertThat(ConversationId.direct(SEEKER, RECRUITER)).isNotEqualTo(ConversationId.direct(SEEKER, STRANGER));
        // the seed sorted "99" and "500" as strings on one side and as numbers on the other
        assertThat(ConversationId.direct(UserId.of("99"), UserId.of("500")))
                .isEqualTo(ConversationId.direct(UserId.of("500"), UserId.of("99")));
    }

    @Test
    void startingADirectConversationRecordsBothParticipantsAtSeqZero() {
        fixture.givenNoPriorActivity()
                .when(StartConversation.direct(SEEKER, RECRUITER))
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(DIRECT)
                .expectEvents(started());
    }

    @Test
    void startingTheSameDirectConversationAgainFromTheOtherSideStoresNothing() {
        fixture.given(started())
                .when(StartConversation.direct(RECRUITER, SEEKER))
                .expectResultMessagePayload(DIRECT)
                .expectNoEvents();
    }

    @Test
    void aDirectConversationMustUseTheIdDerivedFromItsPair() {
        var wrongId = ConversationId.direct(SEEKER, STRANGER);
        fixture.givenNoPriorActivity()
                .when(new StartConversation(wrongId, ConversationKind.DIRECT, SEEKER, List.of(SEEKER, RECRUITER), null))
                .expectException(violation(DomainError.CONVERSATION_ID_MISMATCH))
                .expectNoEvents();
    }

    @Test
    void aDirectConversationHasExactlyTwoDistinctParticipantsIncludingTheInitiator() {
        fixture.givenNoPriorActivity()
                .when(new StartConversation(DIRECT, ConversationKind.DIRECT, SEEKER, List.of(SEEKER, SEEKER), null))
                .expectException(violation(DomainError.INVALID_PARTICIPANTS));
        fixture.givenNoPriorActivity()
                .when(new StartConversation(DIRECT, ConversationKind.DIRECT, STRANGER, List.of(SEEKER, RECRUITER), null))
                .expectException(violation(DomainError.INVALID_PARTICIPANTS));
        fixture.givenNoPriorActivity()
                .when(new StartConversation(DIRECT, ConversationKind.DIRECT, SEEKER, List.of(SEEKER), null))
                .expectException(violation(DomainError.INVALID_PARTICIPANTS))
                .expectNoEvents();
    }

    @Test
    void aParticipantsMessageIsStoredWithTheNextSequenceNumber() {
        var client = ClientMessageId.of("c-1");
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, client, "Hello, is the job still open?"))
                .expectEvents(sent("c-1", SEEKER, "Hello, is the job still open?", 1))
                .expectResultMessagePayload(new MessageAccepted(MessageId.of(DIRECT, SEEKER, client), 1, now));
    }

    @Test
    void sequenceNumbersFollowTheHistory() {
        fixture.given(started(), sent("c-1", SEEKER, "hi", 1), sent("c-2", RECRUITER, "hello", 2))
                .when(new SendMessage(DIRECT, RECRUITER, ClientMessageId.of("c-3"), "yes it is"))
                .expectEvents(sent("c-3", RECRUITER, "yes it is", 3));
    }

    @Test
    void onlyParticipantsMaySend() {
        fixture.given(started())
                .when(new SendMessage(DIRECT, STRANGER, ClientMessageId.of("c-1"), "let me in"))
                .expectException(violation(DomainError.NOT_A_PARTICIPANT))
                .expectNoEvents();
    }

    @Test
    void aRepeatedClientMessageIdReturnsTheOriginalAnswerAndStoresNoSecondMessage() {
        var client = ClientMessageId.of("c-1");
        fixture.given(started(), sent("c-1", SEEKER, "hi", 1), sent("c-2", RECRUITER, "hello", 2))
                .when(new SendMessage(DIRECT, SEEKER, client, "hi"))
                .expectNoEvents()
                .expectResultMessagePayload(new MessageAccepted(MessageId.of(DIRECT, SEEKER, client), 1, now));
    }

    @Test
    void anotherSendersMessageWithTheSameClientMessageIdIsAMessageOfItsOwn() {
        var client = ClientMessageId.of("msg-1");
        fixture.given(started(), sent("msg-1", SEEKER, "from the seeker", 1))
                .when(new SendMessage(DIRECT, RECRUITER, client, "from the recruiter"))
                .expectEvents(sent("msg-1", RECRUITER, "from the recruiter", 2))
                .expectResultMessagePayload(new MessageAccepted(MessageId.of(DIRECT, RECRUITER, client), 2, now));
        assertThat(MessageId.of(DIRECT, RECRUITER, client)).isNotEqualTo(MessageId.of(DIRECT, SEEKER, client));
    }

    @Test
    void eachSendersRetryStillReturnsTheirOwnOriginalAnswer() {
        var client = ClientMessageId.of("msg-1");
        fixture.given(started(), sent("msg-1", SEEKER, "from the seeker", 1),
                        sent("msg-1", RECRUITER, "from the recruiter", 2))
                .when(new SendMessage(DIRECT, SEEKER, client, "from the seeker"))
                .expectNoEvents()
                .expectResultMessagePayload(new MessageAccepted(MessageId.of(DIRECT, SEEKER, client), 1, now));
    }

    @Test
    void aRetryOfAMessageStoredUnderAnEarlierIdRuleReturnsTheStoredId() {
        // messages stored before the sender was part of the id carry another id; the aggregate answers with the
        // stored one rather than deriving it again
        var client = ClientMessageId.of("c-1");
        var storedId = MessageId.of("3f0b5c8e-1d2a-5b7c-9e4f-0a1b2c3d4e5f");
        fixture.given(started(), new MessageSent(DIRECT, storedId, client, SEEKER, "hi", now, 1))
                .when(new SendMessage(DIRECT, SEEKER, client, "hi"))
                .expectNoEvents()
                .expectResultMessagePayload(new MessageAccepted(storedId, 1, now));
    }

    @Test
    void emptyOrBlankTextIsRefused() {
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, ClientMessageId.of("c-1"), " \n\t "))
                .expectException(violation(DomainError.EMPTY_TEXT))
                .expectNoEvents();
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, ClientMessageId.of("c-1"), null))
                .expectException(violation(DomainError.EMPTY_TEXT));
    }

    @Test
    void textUpToTheLimitIsAcceptedAndLongerIsRefused() {
        // counted in code points: 4000 emoji are 8000 UTF-16 chars and still within the limit
        var longest = "\uD83D\uDE00".repeat(MessageText.MAX_CODE_POINTS);
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, ClientMessageId.of("c-1"), longest))
                .expectEvents(sent("c-1", SEEKER, longest, 1));
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, ClientMessageId.of("c-1"), "x".repeat(MessageText.MAX_CODE_POINTS + 1)))
                .expectException(violation(DomainError.TEXT_TOO_LONG))
                .expectNoEvents();
    }

    @Test
    void textThatIsNotValidUnicodeIsRefused() {
        fixture.given(started())
                .when(new SendMessage(DIRECT, SEEKER, ClientMessageId.of("c-1"), "broken \uD83D here"))
                .expectException(violation(DomainError.INVALID_TEXT))
                .expectNoEvents();
    }

    @Test
    void identifiersOfTheWrongShapeAreRefused() {
        assertThatThrownBy(() -> UserId.of("")).isInstanceOf(DomainRuleViolation.class);
        assertThatThrownBy(() -> UserId.of("a\nb")).isInstanceOf(DomainRuleViolation.class);
        assertThatThrownBy(() -> UserId.of("x".repeat(65))).isInstanceOf(DomainRuleViolation.class);
        assertThatThrownBy(() -> ConversationId.of("chat-99-500")).isInstanceOf(DomainRuleViolation.class);
        assertThatThrownBy(() -> ClientMessageId.of("has space")).isInstanceOf(DomainRuleViolation.class);
        assertThat(UserId.of("jane.doe@example.com").value()).isEqualTo("jane.doe@example.com");
    }

    static org.hamcrest.Matcher<?> violation(DomainError error) {
        return Matchers.predicate(e -> e instanceof DomainRuleViolation v && v.error() == error);
    }
}
